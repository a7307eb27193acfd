// When whoever reads wat-test's stdout goes away (`wat-test | head`, a
// crashed `tee`), nothing more can be reported. Node ignores SIGPIPE, so
// the next write fails with EPIPE, which unhandled would end wat-test with a
// stack trace and leave its children to PR_SET_PDEATHSIG. Instead the run
// stops as it does for Ctrl-C (every test process killed and reaped), one
// line on stderr says why, and the exit status is 141, as a program killed
// by SIGPIPE would have.

/** Aborted, with reason 'SIGPIPE', once stdout's reader is gone. The
 *  listener stays for the stream's life: every later write fails the same
 *  way, and reporters still flush at the end of the run. */
export function watchForClosedStdout(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): AbortSignal {
  const controller = new AbortController();
  const onError = (err: NodeJS.ErrnoException) => {
    if (controller.signal.aborted) return;
    if (err.code !== 'EPIPE') throw err;
    controller.abort('SIGPIPE');
    try {
      stderr.write('wat-test: stdout was closed by the program reading it, so wat-test stops here (a test still running is killed).\n');
    } catch {
      // stderr is gone too; the exit status still says it
    }
  };
  stdout.on('error', onError);
  // `2>&1 | head`: the same reader, so the line above (and any later one) is lost
  if (stderr !== stdout) {
    stderr.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  return controller.signal;
}
