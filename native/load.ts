// Finds and loads the compiled addon, and types it. Kept apart from index.ts
// so fd.ts can use the binding without an import cycle.
import * as fs from 'fs';
import * as path from 'path';

/** What the C++ side returns from every wait; index.ts decorates it. */
export interface RawExit {
  pid: number;
  exitCode: number | null;
  signal: number | null;
  maxRssKb: number;
  userMs: number;
  sysMs: number;
}

/** The addon's exports, exactly as registered in src/*.cc. */
export interface NativeBinding {
  fork(singleThreaded: boolean, fds: number[], newSession: boolean, dieWithParent: boolean): number;
  pipe(): [number, number];
  read(fd: number, maxBytes?: number): Buffer | null;
  write(fd: number, data: Uint8Array): number;
  tryWrite(fd: number, data: Uint8Array): number;
  close(fd: number): void;
  setNonBlocking(fd: number, on: boolean): void;
  poll(fds: number[], events: number[], timeoutMs: number): number[];
  waitAsync(pid: number): Promise<RawExit>;
  waitSync(pid: number): RawExit;
  tryWait(pid: number): RawExit | null;
  kill(pid: number, sig: number): void;
  killpg(pgid: number, sig: number): void;
  exit(code: number): never;
  getpid(): number;
  setChildSubreaper(): void;
  pidfdOpen(pid: number): number;
  serveForks(jobs: number): number;
  useHugePageHeap(): boolean;
  collapseToHugePages(): number;
  startTextCopy(): boolean;
  finishTextCopy(): number;
  packSmallPages(): number;
  quietBuiltins(): number;
  setV8Flags(flags: string): void;
  emptyYoungGeneration(gcExposed: boolean): void;
  signalWatch(signals: number[], once: number[]): number;
  signalTake(): number;
  signalRelease(): void;
  POLLIN: number;
  POLLOUT: number;
  POLLHUP: number;
  POLLERR: number;
  POLLNVAL: number;
}

const RELATIVE = path.join('native', 'build', 'Release', 'wat_native.node');

// Walks up from this file, so the same code works compiled (dist/native/) and
// from source (native/): the addon lives at <package root>/native/build/.
function load(): NativeBinding {
  const tried: string[] = [];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, RELATIVE);
    tried.push(candidate);
    if (fs.existsSync(candidate)) {
      try {
        return require(candidate) as NativeBinding;
      } catch (err) {
        throw new Error(
          `wat-native: found ${candidate} but could not load it: ${(err as Error).message}\n` +
            'Rebuild it with `npm install` (or `npm run build:native`).',
        );
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(
    'wat-native: the native addon is not built. Looked for:\n' +
      tried.map((p) => `  ${p}\n`).join('') +
      'Run `npm install` (or `npm run build:native`) in the wat-test package.',
  );
}

export const binding: NativeBinding = load();
