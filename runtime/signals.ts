// The process's signal flags as wat sees them: stopped? (SIGINT/SIGTERM),
// sigusr1?, sigusr2?, sighup?. The `wat` program runner sets them from real
// signal handlers; everywhere else they stay false.

export const signalFlags = { stopped: false, sigusr1: false, sigusr2: false, sighup: false };

export type SignalFlag = keyof typeof signalFlags;
