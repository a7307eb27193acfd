// Deterministic randomness for atom vectors.
//
// An atom's vector must be the same in every run, every process and every
// forked child, and (so that results line up with the reference, which
// uses the `holon` crate) the same bits the reference draws: a SHA-256
// digest picks a 64-bit seed, the seed is widened to a 256-bit ChaCha key
// the way rand_core's `seed_from_u64` does (a PCG32 output per 4 bytes),
// and the ChaCha8 keystream (counter and stream id from zero) supplies one
// 32-bit word per dimension, taken mod 3 into {-1, 0, +1}.

import { sha256 } from '../sha256';

const M64 = (1n << 64n) - 1n;
const PCG_MUL = 6364136223846793005n;
const PCG_INC = 11634580027462260723n;

/** The first 8 bytes (little-endian) of SHA-256 over the given parts, as a u64. */
export function sha256Seed(parts: readonly Uint8Array[]): bigint {
  return sha256(Buffer.concat(parts)).readBigUInt64LE(0);
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
 * stream id, through `sink(word, index)`.
 */
export function chachaWords(key: Uint32Array, doubleRounds: number, n: number, sink: (word: number, i: number) => void): void {
  const block = new Uint32Array(16);
  for (let counter = 0, produced = 0; produced < n; counter++) {
    chachaBlock(key, counter, doubleRounds, block);
    const take = Math.min(16, n - produced);
    for (let i = 0; i < take; i++) sink(block[i], produced + i);
    produced += take;
  }
}

/** One 64-byte ChaCha block (as 16 words) for the given block counter. */
function chachaBlock(key: Uint32Array, counter: number, doubleRounds: number, out: Uint32Array): void {
  const k0 = key[0] | 0, k1 = key[1] | 0, k2 = key[2] | 0, k3 = key[3] | 0;
  const k4 = key[4] | 0, k5 = key[5] | 0, k6 = key[6] | 0, k7 = key[7] | 0;
  const c0 = counter | 0;
  const c1 = Math.floor(counter / 0x100000000) | 0;
  let x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
  let x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
  let x12 = c0, x13 = c1, x14 = 0, x15 = 0;
  let t = 0;
  for (let r = 0; r < doubleRounds; r++) {
    // columns
    x0 = (x0 + x4) | 0; t = x12 ^ x0; x12 = (t << 16) | (t >>> 16);
    x8 = (x8 + x12) | 0; t = x4 ^ x8; x4 = (t << 12) | (t >>> 20);
    x0 = (x0 + x4) | 0; t = x12 ^ x0; x12 = (t << 8) | (t >>> 24);
    x8 = (x8 + x12) | 0; t = x4 ^ x8; x4 = (t << 7) | (t >>> 25);
    x1 = (x1 + x5) | 0; t = x13 ^ x1; x13 = (t << 16) | (t >>> 16);
    x9 = (x9 + x13) | 0; t = x5 ^ x9; x5 = (t << 12) | (t >>> 20);
    x1 = (x1 + x5) | 0; t = x13 ^ x1; x13 = (t << 8) | (t >>> 24);
    x9 = (x9 + x13) | 0; t = x5 ^ x9; x5 = (t << 7) | (t >>> 25);
    x2 = (x2 + x6) | 0; t = x14 ^ x2; x14 = (t << 16) | (t >>> 16);
    x10 = (x10 + x14) | 0; t = x6 ^ x10; x6 = (t << 12) | (t >>> 20);
    x2 = (x2 + x6) | 0; t = x14 ^ x2; x14 = (t << 8) | (t >>> 24);
    x10 = (x10 + x14) | 0; t = x6 ^ x10; x6 = (t << 7) | (t >>> 25);
    x3 = (x3 + x7) | 0; t = x15 ^ x3; x15 = (t << 16) | (t >>> 16);
    x11 = (x11 + x15) | 0; t = x7 ^ x11; x7 = (t << 12) | (t >>> 20);
    x3 = (x3 + x7) | 0; t = x15 ^ x3; x15 = (t << 8) | (t >>> 24);
    x11 = (x11 + x15) | 0; t = x7 ^ x11; x7 = (t << 7) | (t >>> 25);
    // diagonals
    x0 = (x0 + x5) | 0; t = x15 ^ x0; x15 = (t << 16) | (t >>> 16);
    x10 = (x10 + x15) | 0; t = x5 ^ x10; x5 = (t << 12) | (t >>> 20);
    x0 = (x0 + x5) | 0; t = x15 ^ x0; x15 = (t << 8) | (t >>> 24);
    x10 = (x10 + x15) | 0; t = x5 ^ x10; x5 = (t << 7) | (t >>> 25);
    x1 = (x1 + x6) | 0; t = x12 ^ x1; x12 = (t << 16) | (t >>> 16);
    x11 = (x11 + x12) | 0; t = x6 ^ x11; x6 = (t << 12) | (t >>> 20);
    x1 = (x1 + x6) | 0; t = x12 ^ x1; x12 = (t << 8) | (t >>> 24);
    x11 = (x11 + x12) | 0; t = x6 ^ x11; x6 = (t << 7) | (t >>> 25);
    x2 = (x2 + x7) | 0; t = x13 ^ x2; x13 = (t << 16) | (t >>> 16);
    x8 = (x8 + x13) | 0; t = x7 ^ x8; x7 = (t << 12) | (t >>> 20);
    x2 = (x2 + x7) | 0; t = x13 ^ x2; x13 = (t << 8) | (t >>> 24);
    x8 = (x8 + x13) | 0; t = x7 ^ x8; x7 = (t << 7) | (t >>> 25);
    x3 = (x3 + x4) | 0; t = x14 ^ x3; x14 = (t << 16) | (t >>> 16);
    x9 = (x9 + x14) | 0; t = x4 ^ x9; x4 = (t << 12) | (t >>> 20);
    x3 = (x3 + x4) | 0; t = x14 ^ x3; x14 = (t << 8) | (t >>> 24);
    x9 = (x9 + x14) | 0; t = x4 ^ x9; x4 = (t << 7) | (t >>> 25);
  }
  out[0] = x0 + 0x61707865; out[1] = x1 + 0x3320646e; out[2] = x2 + 0x79622d32; out[3] = x3 + 0x6b206574;
  out[4] = x4 + k0; out[5] = x5 + k1; out[6] = x6 + k2; out[7] = x7 + k3;
  out[8] = x8 + k4; out[9] = x9 + k5; out[10] = x10 + k6; out[11] = x11 + k7;
  out[12] = x12 + c0; out[13] = x13 + c1; out[14] = x14; out[15] = x15;
}

/** A ternary vector of `dims` entries in {-1, 0, +1}, drawn from ChaCha8 under the seed. */
export function ternaryFromSeed(seed: bigint, dims: number): Int8Array {
  const out = new Int8Array(dims);
  const key = keyFromSeed(seed);
  const block = new Uint32Array(16);
  for (let counter = 0, i = 0; i < dims; counter++) {
    chachaBlock(key, counter, 4, block);
    const end = Math.min(dims, i + 16);
    for (let j = 0; i < end; i++, j++) out[i] = (block[j] % 3) - 1; // 0 → -1, 1 → 0, 2 → +1
  }
  return out;
}
