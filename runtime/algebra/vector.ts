// Ternary vectors — Int8Array of {-1, 0, +1} — and the algebra's vector
// operations over them. Every operation allocates its result and never
// touches its inputs: encoded vectors are cached on holon values and shared.

export type Vector = Int8Array;

function sameDims(a: Vector, b: Vector, op: string): void {
  if (a.length !== b.length) throw new Error(`${op}: dimension mismatch (${a.length} vs ${b.length})`);
}

// The hot loops (bind, bundle, dot, cosine) run four entries at a time on
// an Int32Array view of the same bytes. A ternary byte is 0x01 (+1), 0xFF
// (-1) or 0x00: bit 0 says "non-zero" and bit 1 says "negative", so masking
// every lane with 0x01010101 turns lanes into independent 0/1 counters.
const LANES = 0x01010101;

function words(v: Vector): Int32Array | null {
  return v.byteOffset % 4 === 0 ? new Int32Array(v.buffer, v.byteOffset, v.length >> 2) : null;
}

/** Bind: elementwise product. Its own inverse wherever the key is non-zero. */
export function bind(a: Vector, b: Vector): Vector {
  sameDims(a, b, 'bind');
  const n = a.length;
  const out = new Int8Array(n);
  const wa = words(a);
  const wb = words(b);
  let i = 0;
  if (wa && wb) {
    const wo = new Int32Array(out.buffer, 0, n >> 2);
    for (let w = 0; w < wo.length; w++) {
      const x = wa[w];
      const y = wb[w];
      const nz = x & y & LANES;
      const neg = ((x ^ y) >>> 1) & nz;
      wo[w] = nz | Math.imul(neg, 0xfe); // +1 → 0x01, -1 → 0xFF
    }
    i = wo.length << 2;
  }
  for (; i < n; i++) out[i] = a[i] * b[i];
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
  // Per lane, count the non-zero entries (bit 0) and the negative ones
  // (bit 1) in byte counters, at most 255 vectors per pass; a lane's sum is
  // then nonzero - 2·negative. Each pass is folded into Int32 sums.
  const sums = new Int32Array(dims);
  const nw = dims >> 2;
  const views = vs.map(words);
  const packed = views.every((w) => w !== null);
  if (packed && nw > 0) {
    const nz = new Int32Array(nw);
    const neg = new Int32Array(nw);
    for (let start = 0; start < vs.length; start += 255) {
      const end = Math.min(vs.length, start + 255);
      nz.fill(0);
      neg.fill(0);
      for (let k = start; k < end; k++) {
        const w = views[k]!;
        for (let j = 0; j < nw; j++) {
          const x = w[j];
          nz[j] += x & LANES;
          neg[j] += (x >>> 1) & LANES;
        }
      }
      for (let j = 0; j < nw; j++) {
        const p = nz[j];
        const q = neg[j];
        const base = j << 2;
        sums[base] += (p & 0xff) - 2 * (q & 0xff);
        sums[base + 1] += ((p >>> 8) & 0xff) - 2 * ((q >>> 8) & 0xff);
        sums[base + 2] += ((p >>> 16) & 0xff) - 2 * ((q >>> 16) & 0xff);
        sums[base + 3] += (p >>> 24) - 2 * (q >>> 24);
      }
    }
    for (const v of vs) for (let i = nw << 2; i < dims; i++) sums[i] += v[i];
  } else {
    for (const v of vs) for (let i = 0; i < dims; i++) sums[i] += v[i];
  }
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

/** The three products cosine needs: a·b, a·a, b·b. */
function products(a: Vector, b: Vector): [number, number, number] {
  const n = a.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  let i = 0;
  const wa = words(a);
  const wb = words(b);
  if (wa && wb) {
    const nw = n >> 2;
    // lane counters hold at most 255 before they are folded
    for (let start = 0; start < nw; start += 255) {
      const end = Math.min(nw, start + 255);
      let both = 0;
      let opposite = 0;
      let na = 0;
      let nb = 0;
      for (let w = start; w < end; w++) {
        const x = wa[w];
        const y = wb[w];
        const nzx = x & LANES;
        const nzy = y & LANES;
        const nz = nzx & nzy;
        both += nz;
        opposite += ((x ^ y) >>> 1) & nz;
        na += nzx;
        nb += nzy;
      }
      const bothN = laneSum(both);
      ab += bothN - 2 * laneSum(opposite);
      aa += laneSum(na);
      bb += laneSum(nb);
    }
    i = nw << 2;
  }
  for (; i < n; i++) {
    const x = a[i];
    const y = b[i];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return [ab, aa, bb];
}

function laneSum(w: number): number {
  return (w & 0xff) + ((w >>> 8) & 0xff) + ((w >>> 16) & 0xff) + (w >>> 24);
}

export function dot(a: Vector, b: Vector): number {
  sameDims(a, b, 'dot');
  return products(a, b)[0];
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: Vector, b: Vector): number {
  sameDims(a, b, 'cosine');
  const [ab, aa, bb] = products(a, b);
  if (aa === 0 || bb === 0) return 0;
  return ab / (Math.sqrt(aa) * Math.sqrt(bb));
}
