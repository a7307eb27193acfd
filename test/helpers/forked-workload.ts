// For tests of code that reshapes a process's memory (huge-heap.cc,
// folio-pack.cc): run it in a forked copy of this process, which then
// computes a workload and forks a grandchild that computes it too, as a
// test child of the fork server would. Both results come back to compare
// with the workload computed here, untouched.
import * as native from '../../native';

/** Work that needs the interpreter, builtins, the regexp engine, JSON, malloc and GC. */
export function workload(): string {
  const rows: { id: number; name: string }[] = [];
  for (let i = 0; i < 50_000; i++) rows.push({ id: i, name: `row-${i.toString(36)}` });
  const text = JSON.stringify(rows);
  const back = JSON.parse(text) as typeof rows;
  const matches = text.match(/row-[a-z]+"/g)?.length ?? 0;
  const bytes = Buffer.from(text).subarray(0, 1000).toString('base64').length;
  let sum = 0;
  for (const r of back) sum += r.id % 7;
  return `${back.length} ${matches} ${bytes} ${sum}`;
}

/** Blocking read to EOF (and close); fine for children that write a little and exit. */
export function readAll(fd: native.Fd): string {
  const chunks: Buffer[] = [];
  for (let b = native.read(fd.fd); b !== null; b = native.read(fd.fd)) chunks.push(b);
  fd.close();
  return Buffer.concat(chunks).toString();
}

export interface ForkedReport<T> {
  /** What `reshape` returned, in the forked process. */
  readonly reshaped: T;
  /** The workload's result there, and in the grandchild forked after it. */
  readonly mine: string;
  readonly theirs: string;
  /** The grandchild's exit status. */
  readonly status: number;
}

/** Throws (with the child's stderr on fd 2) when the forked process fails. */
export function reshapeInForkedChild<T>(reshape: () => T, workload: () => string): ForkedReport<T> {
  const p = native.pipeFds();
  const pid = native.fork({ stdin: 0, stdout: p.write.fd, stderr: 2 });
  if (pid === 0) {
    let code = 99;
    try {
      const reshaped = reshape();
      const mine = workload();
      const q = native.pipeFds();
      const grandchild = native.fork({ stdin: 0, stdout: q.write.fd, stderr: 2 });
      if (grandchild === 0) {
        native.write(1, workload());
        native.exit(0);
      }
      q.write.close();
      const theirs = readAll(q.read);
      const status = native.waitSync(grandchild).status;
      native.write(1, JSON.stringify({ reshaped, mine, theirs, status }));
      code = 0;
    } catch (err) {
      native.write(2, `forked test child failed: ${(err as Error)?.stack ?? err}\n`);
    }
    native.exit(code);
  }
  p.write.close();
  const out = readAll(p.read);
  const exit = native.waitSync(pid);
  native.forget(pid);
  if (exit.status !== 0) throw new Error(`the forked process exited ${exit.status}`);
  return JSON.parse(out) as ForkedReport<T>;
}
