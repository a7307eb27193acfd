// Ternary vectors — Int8Array of {-1, 0, +1} — and the algebra's vector
// operations over them. Every operation allocates its result and never
// touches its inputs: encoded vectors are cached on holon values and shared.

export type Vector = Int8Array;

function sameDims(a: Vector, b: Vector, op: string): void {
  if (a.length !== b.length) throw new Error(`${op}: dimension mismatch (${a.length} vs ${b.length})`);
}

/** Bind: elementwise product. Its own inverse wherever the key is non-zero. */
export function bind(a: Vector, b: Vector): Vector {
  sameDims(a, b, 'bind');
  const n = a.length;
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
  return out;
}

/** Bundle: elementwise sum, then the sign of each sum (a tie is 0). An empty bundle is the zero vector. */
export function bundle(vs: readonly Vector[], dims: number): Vector {
  const out = new Int8Array(dims);
  if (vs.length === 0) return out;
  for (const v of vs) sameDims(v, out, 'bundle');
  if (vs.length === 1) {
    out.set(vs[0]);
    return out;
  }
  const sums = new Int32Array(dims);
  for (const v of vs) for (let i = 0; i < dims; i++) sums[i] += v[i];
  for (let i = 0; i < dims; i++) {
    const s = sums[i];
    out[i] = s > 0 ? 1 : s < 0 ? -1 : 0;
  }
  return out;
}

/** Permute: cyclic shift, out[i] = v[(i + k) mod d]; k may be negative (the inverse shift). */
export function permute(v: Vector, k: number): Vector {
  const n = v.length;
  const out = new Int8Array(n);
  if (n === 0) return out;
  const s = ((k % n) + n) % n;
  // out[0 .. n-s) = v[s .. n), out[n-s .. n) = v[0 .. s)
  out.set(v.subarray(s), 0);
  out.set(v.subarray(0, s), n - s);
  return out;
}

/** Blend: the sign of w1·a + w2·b, elementwise (weights are any reals, negative included). */
export function blend(a: Vector, b: Vector, w1: number, w2: number): Vector {
  sameDims(a, b, 'blend');
  const n = a.length;
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const s = a[i] * w1 + b[i] * w2;
    out[i] = s > 0 ? 1 : s < 0 ? -1 : 0;
  }
  return out;
}

/**
 * Thermometer: the first round(d · clamp((v - min)/(max - min), 0, 1)) entries
 * are +1, the rest -1, so cosine falls linearly with distance:
 * cos(T(a), T(b)) = 1 - 2|a - b|/(max - min). A zero range sits at the middle.
 */
export function thermometer(value: number, min: number, max: number, dims: number): Vector {
  const range = max - min;
  let frac = range === 0 ? 0.5 : (value - min) / range;
  frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
  let n = Math.round(frac * dims);
  if (!(n >= 0)) n = 0; // NaN (a NaN input) fills nothing
  const out = new Int8Array(dims).fill(-1);
  out.fill(1, 0, Math.min(n, dims));
  return out;
}

export function dot(a: Vector, b: Vector): number {
  sameDims(a, b, 'dot');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: Vector, b: Vector): number {
  sameDims(a, b, 'cosine');
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (aa === 0 || bb === 0) return 0;
  return ab / (Math.sqrt(aa) * Math.sqrt(bb));
}
