// The parent's side of forking a wat program: three pipes, native.fork (own
// session, SIGKILL when this process dies), the parent closes the child's
// ends and keeps its own — stdin's write end, stdout's and stderr's read
// ends — plus a ChildHandle. The child inherits the loaded runtime and the
// program (forms are already in its memory; nothing is serialized) and runs
// it with child.ts, ending in native.exit.

import * as native from '../../native';
import { Fd, pipeFds } from '../../native';
import { WatRuntimeError } from '../errors';
import { FdReader, FdWriter } from '../io-fd';
import type { Thread } from '../thread';
import { ChildHandle } from './child-handle';
import { ProgramSource, RunOptions, runChildAndExit } from './child';
import { adopt } from './lifetime';

export interface Forked {
  readonly handle: ChildHandle;
  /** Parent's ends: write to the child's stdin, read its stdout and stderr. */
  readonly stdin: FdWriter;
  readonly stdout: FdReader;
  readonly stderr: FdReader;
}

/** Fork `src` as a child process of the program `t` belongs to. Throws WatRuntimeError on failure. */
export function forkProgram(t: Thread, src: ProgramSource, opts: RunOptions, op: string): Forked {
  const made: Fd[] = [];
  let pid: number;
  try {
    const input = pipeFds();
    made.push(input.read, input.write);
    const output = pipeFds();
    made.push(output.read, output.write);
    const errors = pipeFds();
    made.push(errors.read, errors.write);
    pid = native.fork({
      stdin: input.read.fd,
      stdout: output.write.fd,
      stderr: errors.write.fd,
      newSession: true,
      dieWithParent: true,
    });
    if (pid === 0) {
      // The child: fds 0/1/2 are its pipe ends and nothing else is open. The
      // Fd objects above name numbers it does not own; they are never touched.
      runChildAndExit(src, opts);
    }
    // the child's ends are the child's: without closing ours, no EOF ever comes
    input.read.close();
    output.write.close();
    errors.write.close();
    let child: ChildHandle;
    try {
      child = new ChildHandle(pid);
    } catch (e) {
      native.kill(pid, 'SIGKILL');
      native.waitSync(pid);
      native.forget(pid);
      throw e;
    }
    const handle = adopt(t, child);
    return {
      handle,
      stdin: adopt(t, new FdWriter(input.write)),
      stdout: adopt(t, new FdReader(output.read)),
      stderr: adopt(t, new FdReader(errors.read)),
    };
  } catch (e) {
    for (const fd of made) {
      try {
        fd.close();
      } catch {
        // already closed
      }
    }
    if (e instanceof WatRuntimeError) throw e;
    throw new WatRuntimeError(`${op}: ${(e as Error).message}`);
  }
}
