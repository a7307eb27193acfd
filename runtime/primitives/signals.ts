// :wat::kernel::stopped?, sigusr1?, sigusr2?, sighup? and the reset! forms.

import { signalFlags, SignalFlag } from '../signals';
import { UNIT } from '../values';
import { pure } from './registry';

const K = ':wat::kernel::';
pure(`${K}stopped?`, 0, () => signalFlags.stopped);
for (const flag of ['sigusr1', 'sigusr2', 'sighup'] as SignalFlag[]) {
  pure(`${K}${flag}?`, 0, () => signalFlags[flag]);
  pure(`${K}reset-${flag}!`, 0, () => {
    signalFlags[flag] = false;
    return UNIT;
  });
}
