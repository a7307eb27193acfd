// Read-only views of /proc used to find processes a test left behind.
// Nothing here signals or reaps; leaks.ts decides what to do.

import * as fs from 'fs';

export interface ProcStat {
  readonly pid: number;
  /** R running, S sleeping, D disk wait, Z zombie, T stopped, X dead, ... */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
}

/** The fields of /proc/<pid>/stat from field 3 (state) on, so field N is
 *  at index N - 3; null once the process is gone (reaped). */
export function statFields(pid: number | 'self'): string[] | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // Field 2 is the command in parentheses and may itself contain spaces and
  // ')', so the fixed fields are counted from the LAST ')'.
  const close = text.lastIndexOf(')');
  return close < 0 ? null : text.slice(close + 2).split(' ');
}

/** /proc/<pid>/stat, or null once the process is gone (reaped). */
export function readStat(pid: number): ProcStat | null {
  const rest = statFields(pid);
  if (rest === null) return null;
  return {
    pid,
    state: rest[0],
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    session: Number(rest[3]),
  };
}

/** Command line for reports ("node leak.js"); the short name in brackets
 *  when the process has none (kernel threads, zombies). */
export function commandOf(pid: number): string {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const words = cmdline.split('\0').filter((w) => w !== '');
    if (words.length > 0) return words.join(' ');
  } catch {
    // gone; fall through to comm
  }
  try {
    return `[${fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
  } catch {
    return '[exited]';
  }
}

/** Direct children of `pid`, from every thread's children list, or null if
 *  the kernel lacks /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN). */
function childrenOf(pid: number): number[] | null {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync(`/proc/${pid}/task/${tid}`)) return null;
      continue; // the thread ended meanwhile
    }
    for (const word of text.split(' ')) if (word !== '') out.push(Number(word));
  }
  return out;
}

/**
 * Candidates for "what did a test leave behind": every process below `root`
 * when the kernel keeps children lists, else every process on the machine.
 * Walking the tree stats only our own descendants, which keeps the per-test
 * cost flat on busy hosts. Callers filter by session or parent either way.
 */
export function processesBelow(root: number): ProcStat[] {
  const out: ProcStat[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    const kids = childrenOf(parent);
    if (kids === null) return allProcesses();
    for (const kid of kids) {
      const stat = readStat(kid);
      if (stat === null) continue;
      out.push(stat);
      queue.push(kid);
    }
  }
  return out;
}

function allProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== null) out.push(stat);
  }
  return out;
}

/**
 * The pids of this process's own children, from the main thread's list (the
 * thread that forks every test child, and the one orphans are re-parented
 * to, this process being their subreaper); null if the kernel has no
 * children lists. One read: the fast check run after every test.
 */
export function ownChildren(): number[] | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'latin1');
  } catch {
    return null;
  }
  const out: number[] = [];
  for (const word of text.split(' ')) if (word !== '') out.push(Number(word));
  return out;
}
