// Deterministic randomness for atom vectors.
//
// An atom's vector must be the same in every run, every process and every
// forked child, and (so that results line up with the reference, which
// uses the `holon` crate) the same bits the reference draws: a SHA-256
// digest picks a 64-bit seed, the seed is widened to a 256-bit ChaCha key
// the way rand_core's `seed_from_u64` does (a PCG32 output per 4 bytes),
// and the ChaCha8 keystream (counter and stream id from zero) supplies one
// 32-bit word per dimension, taken mod 3 into {-1, 0, +1}.

import { createHash } from 'crypto';

const M64 = (1n << 64n) - 1n;
const PCG_MUL = 6364136223846793005n;
const PCG_INC = 11634580027462260723n;

/** The first 8 bytes (little-endian) of SHA-256 over the given parts, as a u64. */
export function sha256Seed(parts: readonly Uint8Array[]): bigint {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest().readBigUInt64LE(0);
}

/** rand_core's `seed_from_u64`: eight PCG32 outputs, each after advancing the state, become the key words. */
export function keyFromSeed(seed: bigint): Uint32Array {
  const key = new Uint32Array(8);
  let state = BigInt.asUintN(64, seed);
  for (let i = 0; i < 8; i++) {
    state = (state * PCG_MUL + PCG_INC) & M64;
    const xorshifted = Number((((state >> 18n) ^ state) >> 27n) & 0xffffffffn);
    const rot = Number(state >> 59n);
    key[i] = ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  }
  return key;
}

/**
 * Write `n` keystream words of ChaCha with `doubleRounds` double rounds
 * (4 = ChaCha8, 10 = ChaCha20) under `key`, block counter from 0 and a zero
 * stream id, into `out` through `sink(word, index)`.
 */
export function chachaWords(key: Uint32Array, doubleRounds: number, n: number, sink: (word: number, i: number) => void): void {
  const input = new Uint32Array(16);
  input[0] = 0x61707865;
  input[1] = 0x3320646e;
  input[2] = 0x79622d32;
  input[3] = 0x6b206574;
  input.set(key, 4);
  const x = new Uint32Array(16);
  let counter = 0;
  let produced = 0;
  while (produced < n) {
    input[12] = counter >>> 0;
    input[13] = Math.floor(counter / 0x100000000) >>> 0;
    x.set(input);
    for (let r = 0; r < doubleRounds; r++) {
      quarter(x, 0, 4, 8, 12);
      quarter(x, 1, 5, 9, 13);
      quarter(x, 2, 6, 10, 14);
      quarter(x, 3, 7, 11, 15);
      quarter(x, 0, 5, 10, 15);
      quarter(x, 1, 6, 11, 12);
      quarter(x, 2, 7, 8, 13);
      quarter(x, 3, 4, 9, 14);
    }
    const take = Math.min(16, n - produced);
    for (let i = 0; i < take; i++) sink((x[i] + input[i]) >>> 0, produced + i);
    produced += take;
    counter++;
  }
}

function quarter(x: Uint32Array, a: number, b: number, c: number, d: number): void {
  let t: number;
  x[a] += x[b];
  t = x[d] ^ x[a];
  x[d] = (t << 16) | (t >>> 16);
  x[c] += x[d];
  t = x[b] ^ x[c];
  x[b] = (t << 12) | (t >>> 20);
  x[a] += x[b];
  t = x[d] ^ x[a];
  x[d] = (t << 8) | (t >>> 24);
  x[c] += x[d];
  t = x[b] ^ x[c];
  x[b] = (t << 7) | (t >>> 25);
}

/** A ternary vector of `dims` entries in {-1, 0, +1}, drawn from ChaCha8 under the seed. */
export function ternaryFromSeed(seed: bigint, dims: number): Int8Array {
  const out = new Int8Array(dims);
  chachaWords(keyFromSeed(seed), 4, dims, (w, i) => {
    out[i] = (w % 3) - 1; // 0 → -1, 1 → 0, 2 → +1
  });
  return out;
}
