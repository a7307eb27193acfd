// Run as its own process by process-fractal.test.ts: starts the fractal
// (bin/wat examples/fractal/l1.wat), feeds it requests until replies flow
// through all three levels, records the process tree, SIGKILLs the root,
// and reports (JSON on stdout) which processes of the tree are still alive.
//
// It makes itself a child subreaper first: the orphans of the killed tree
// are then reparented to it (not to init, which here never reaps), so it can
// reap their zombies and tell "killed" from "still running" exactly.

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as native from '../../native';

const REPO = path.resolve(__dirname, '..', '..', '..');
const DEADLINE_MS = 20_000;

interface Proc {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  state: string;
}

function stat(pid: number): Proc | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]), session: Number(f[3]) };
}

function all(): Proc[] {
  const out: Proc[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const p = stat(Number(e));
    if (p) out.push(p);
  }
  return out;
}

function descendants(root: number): Proc[] {
  const procs = all();
  const found: Proc[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const p of procs) {
      if (p.ppid === parent && p.state !== 'Z') {
        found.push(p);
        frontier.push(p.pid);
      }
    }
  }
  return found;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

async function main(): Promise<void> {
  native.setChildSubreaper();
  const l1 = spawn(path.join(REPO, 'bin', 'wat'), [path.join(REPO, 'examples', 'fractal', 'l1.wat')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => l1.on('exit', () => resolve()));
  let replies = 0;
  l1.stdout.setEncoding('utf8').on('data', (s: string) => (replies += s.split('\n').length - 1));
  // half of the 1,000 requests, and stdin stays open: the tree is busy
  for (let i = 0; i < 500; i++) l1.stdin.write(`{:id ${i} :x ${i}}\n`);
  const start = Date.now();
  let tree: Proc[] = [];
  while (Date.now() - start < DEADLINE_MS) {
    tree = descendants(l1.pid!);
    if (replies >= 100 && tree.length >= 6) break;
    await tick();
  }
  const ownSessions = tree.every((p) => p.pgrp === p.pid && p.session === p.pid);
  const pids = [l1.pid!, ...tree.map((p) => p.pid)];
  const repliesBeforeKill = replies;
  native.kill(l1.pid!, 'SIGKILL');
  await exited;
  // everything left of the tree dies (PDEATHSIG) and comes to us to be reaped
  let survivors: number[] = pids;
  while (Date.now() - start < DEADLINE_MS) {
    for (const pid of pids.slice(1)) {
      try {
        if (native.tryWait(pid)) native.forget(pid);
      } catch {
        // not (yet) our child, or already reaped
      }
    }
    survivors = pids.filter((pid) => stat(pid) !== null);
    if (survivors.length === 0) break;
    await tick();
  }
  process.stdout.write(JSON.stringify({ tree: pids, ownSessions, repliesBeforeKill, survivors: survivors.map((pid) => stat(pid)) }));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
