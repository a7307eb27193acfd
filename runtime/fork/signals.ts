// Real signals -> the flags wat reads (:wat::kernel::stopped?, sigusr1?, ...).
//
// The program runs synchronously, so node's process.on(...) handlers would
// never run. native.signalWatch installs handlers that raise a bit and write
// to a self-pipe; here the flags object of runtime/signals.ts gets accessors
// that take those bits first, so every read of a flag — by the flag
// primitives or anyone else — sees signals delivered up to that moment.
//
//   SIGINT, SIGTERM -> stopped   (set once; nothing resets it; a second one
//                                 of them ends the process the default way)
//   SIGUSR1 -> sigusr1, SIGUSR2 -> sigusr2, SIGHUP -> sighup   (reset-*! clears)
//
// Used by the `wat` CLI and by spawned servers (a server is a wat program
// like any other). Hermetic children keep the default dispositions.

import * as os from 'os';
import * as native from '../../native';
import { SignalFlag, signalFlags } from '../signals';

const FLAG_OF: Record<string, SignalFlag> = {
  SIGINT: 'stopped',
  SIGTERM: 'stopped',
  SIGUSR1: 'sigusr1',
  SIGUSR2: 'sigusr2',
  SIGHUP: 'sighup',
};

const byNumber = new Map<number, SignalFlag>();
const store: Record<SignalFlag, boolean> = { stopped: false, sigusr1: false, sigusr2: false, sighup: false };
let bridged = false;
let pipeFd = -1;

function take(): void {
  if (pipeFd < 0) return;
  for (const sig of native.signalTake()) {
    const flag = byNumber.get(sig);
    if (flag) store[flag] = true;
  }
}

/** Catch the five signals and route them to the flags; returns the self-pipe fd (poll it for "a signal came"). */
export function watchSignals(): number {
  for (const [name, flag] of Object.entries(FLAG_OF)) byNumber.set(os.constants.signals[name as NodeJS.Signals], flag);
  if (!bridged) {
    bridged = true;
    for (const flag of Object.keys(store) as SignalFlag[]) {
      store[flag] = signalFlags[flag];
      Object.defineProperty(signalFlags, flag, {
        configurable: true,
        enumerable: true,
        get: () => {
          take();
          return store[flag];
        },
        set: (v: boolean) => {
          take();
          store[flag] = v;
        },
      });
    }
  }
  // a second SIGINT/SIGTERM takes the default action: Ctrl-C twice ends a
  // program that never looks at stopped?
  pipeFd = native.signalWatch(Object.keys(FLAG_OF) as NodeJS.Signals[], ['SIGINT', 'SIGTERM']);
  return pipeFd;
}

/** The self-pipe, or -1 when this process does not watch signals. */
export function signalPipe(): number {
  return pipeFd;
}

/** Take pending signals now; true if any flag is set. */
export function anySignalFlag(): boolean {
  take();
  return store.stopped || store.sigusr1 || store.sigusr2 || store.sighup;
}

/**
 * In a freshly forked child: the parent's flags are not the child's, and the
 * parent's handlers are gone (fork resets every disposition).
 */
export function resetSignalsInChild(): void {
  pipeFd = -1;
  for (const flag of Object.keys(store) as SignalFlag[]) {
    store[flag] = false;
    signalFlags[flag] = false;
  }
}

/** Stop watching (tests): previous dispositions back, flags keep their values. */
export function unwatchSignals(): void {
  if (pipeFd < 0) return;
  take();
  native.signalRelease();
  pipeFd = -1;
}
