// A green thread: its own explicit stack of wat frames. Many threads share
// one JS thread; the scheduler runs each for a step budget at a time.

import { FnProto, Instr } from './instr';
import { Loc } from './source';
import type { Value } from './values';
import type { World } from './world';
import type { Scheduler } from './scheduler';
import { WatRuntimeError } from './errors';
import type { Delivery, Queue } from './channels';

export class Frame {
  constructor(
    readonly proto: FnProto | null,
    readonly code: Instr[] | null,
    readonly regs: Value[],
    /** Register in the caller that receives this frame's result; -1 feeds a generator frame. */
    readonly dst: number,
    /** Set for higher-order primitive frames (map, foldl, ...), driven by the VM. */
    readonly gen: Generator<[Value, Value[]], Value, Value> | null = null,
    readonly genName = '',
    public pc = 0,
    /** When this frame replaced a caller by a tail call: that caller and the call site (kept for backtraces). */
    readonly tailFrom: { readonly name: string; readonly loc: Loc } | null = null,
    /** A higher-order primitive frame's arguments (the vector, the function): live while it runs. */
    readonly hofArgs: readonly Value[] | null = null,
  ) {}

  /** Where this frame is now: the instruction it is executing (or returned into). */
  currentLoc(): Loc | null {
    if (!this.code) return null;
    const ins = this.code[Math.max(0, this.pc - 1)];
    return ins ? ins.loc : this.proto?.loc ?? null;
  }
}

export type ThreadState = 'runnable' | 'blocked' | 'done' | 'failed';

export class Thread {
  readonly frames: Frame[] = [];
  state: ThreadState = 'runnable';
  result: Value | undefined = undefined;
  error: WatRuntimeError | null = null;
  /** Why a blocked thread waits (for deadlock reports). */
  waitReason = '';
  waitLoc: Loc | null = null;
  /** A value a rendezvous sender handed over while this thread waited (channels.ts). */
  mailbox: Delivery | null = null;
  /** Queues this thread is registered on as a waiter. */
  readonly waitingOn: Queue[] = [];
  /** Frame depth below which direct mode is off after it gave up (direct.ts). */
  directOffBelow = Infinity;
  /** Rotates select's starting receiver, so one busy queue cannot starve the others. */
  selectTurn = 0;
  /** Called by the scheduler when the thread reaches done or failed. */
  readonly onExit: ((t: Thread) => void)[] = [];

  constructor(
    readonly id: number,
    readonly name: string,
    readonly world: World,
    readonly sched: Scheduler,
  ) {}
}
