// Process and fd observations for the runner's tests, read from /proc.

import * as fs from 'fs';

/** fds open in this process right now. */
export function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

/** pids whose parent is this process (all threads), zombies included. */
export function childrenOfSelf(): number[] {
  const out: number[] = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    let text = '';
    try {
      text = fs.readFileSync(`/proc/self/task/${tid}/children`, 'latin1');
    } catch {
      continue;
    }
    for (const w of text.split(' ')) if (w !== '') out.push(Number(w));
  }
  return out;
}

/** True once the pid no longer exists at all (not even as a zombie). */
export function isGone(pid: number): boolean {
  return !fs.existsSync(`/proc/${pid}`);
}

/**
 * Re-checks `condition` until it holds or `timeoutMs` passes, then returns
 * its last value. For conditions that settle on the event loop's next turns
 * (an fd closed in a libuv close callback), not a sleep standing in for one.
 */
export async function eventually(condition: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}
