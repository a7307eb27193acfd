// :wat::config::* accessors: the committed config of the running program's
// world (not of the world a stdlib function was defined in).

import { WatRuntimeError } from '../errors';
import { F64, Keyword } from '../values';
import { pure } from './registry';

pure(':wat::config::dims', 0, (_, t) => {
  const d = t.world.config.dims;
  if (d === null) throw new WatRuntimeError(':wat::config::dims: this program never set dims');
  return d;
});
pure(':wat::config::global-seed', 0, (_, t) => t.world.config.globalSeed);
pure(':wat::config::noise-floor', 0, (_, t) => {
  const c = t.world.config;
  if (c.noiseFloor !== null) return new F64(c.noiseFloor);
  if (c.dims === null) throw new WatRuntimeError(':wat::config::noise-floor: this program never set dims');
  return new F64(5 / Math.sqrt(c.dims));
});
pure(':wat::config::capacity-mode', 0, (_, t) => {
  const m = t.world.config.capacityMode;
  if (m === null) throw new WatRuntimeError(':wat::config::capacity-mode: this program never set capacity-mode');
  return Keyword.of(`:${m}`);
});
