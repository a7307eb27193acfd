// The exit-path fixture matrix, run by bin/wat-test as a user would, with
// one test killed from outside (killed-by-signal.wat needs that): -j 1, so
// when that test starts the runner has exactly one child, and it is the one.
// The reporters to check are passed in; a json reporter to a file is added
// to see when the test starts.

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const repo = path.resolve(__dirname, '..', '..', '..');
export const bin = path.join(repo, 'bin', 'wat-test');
export const fixtures = path.join(repo, 'fixtures', 'exit-paths');
export const MATRIX = ['pass', 'assertion-caught', 'panic-escapes', 'runtime-error', 'parse-error', 'infinite-loop', 'big-output', 'killed-by-signal'];
const SIGNAL_TEST = ':fixtures::signal::test-waits-for-a-signal';

export interface MatrixRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** A temporary directory for the run's files (reporter outputs). */
  readonly dir: string;
  readonly killedPid: number | null;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
      for (const w of text.split(' ')) if (w !== '') out.push(Number(w));
    }
  } catch {
    // gone
  }
  return out;
}

/** `reporters(dir)` → the --reporter values; runs from the repo root. */
export async function runMatrix(reporters: (dir: string) => string[]): Promise<MatrixRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-matrix-'));
  const events = path.join(dir, 'events.jsonl');
  const args = [
    '-j', '1', '--timeout', '5000', '--max-output', '4096', '--seed', '1',
    ...reporters(dir).flatMap((r) => ['--reporter', r]),
    '--reporter', `json:${events}`,
    ...MATRIX.map((f) => path.join('fixtures', 'exit-paths', `${f}.wat`)),
  ];
  const env = { ...process.env };
  delete env.FORCE_COLOR; // uvu's, for itself
  const child = spawn(bin, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let killedPid: number | null = null;
  const poll = setInterval(() => {
    if (killedPid !== null || !fs.existsSync(events)) return;
    const text = fs.readFileSync(events, 'utf8');
    const started = text.includes(`"event":"test-start","file":"${path.join(fixtures, 'killed-by-signal.wat')}","name":"${SIGNAL_TEST}"`);
    // the test's process is a child of the runner's fork server, its only child
    const [server] = childrenOf(child.pid!);
    const [pid] = server === undefined ? [] : childrenOf(server);
    if (started && pid !== undefined) {
      killedPid = pid;
      process.kill(pid, 'SIGTERM');
    }
  }, 20);
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  clearInterval(poll);
  return { status, stdout, stderr, dir, killedPid };
}
