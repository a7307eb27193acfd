// :holon::HolonAST — the value the algebra forms build. A holon is an AST
// (Atom, Bind, Bundle, Permute, Thermometer, Blend) that remembers its
// structure; its vector is computed on first measurement and cached on the
// node, per (dims, global seed). Nothing here depends on a world: the caller
// passes the running program's dims and seed.

import { Ast } from '../ast';
import { Opaque } from '../values';
import { sha256Seed, ternaryFromSeed } from './rng';
import * as V from './vector';

/** What an Atom holds. Keywords hash as their text with the leading ':' (the reference's convention). */
export type AtomPayload =
  | { readonly t: 'i64'; readonly v: number | bigint }
  | { readonly t: 'f64'; readonly v: number }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'String'; readonly v: string }
  | { readonly t: 'keyword'; readonly v: string }
  | { readonly t: 'holon'; readonly v: HolonAST }
  | { readonly t: 'wat'; readonly v: Ast };

export type HolonKind = 'Atom' | 'Bind' | 'Bundle' | 'Permute' | 'Thermometer' | 'Blend';

export class HolonAST implements Opaque {
  readonly typeName = 'holon::HolonAST';
  /** The encoded vector, valid for cacheDims/cacheSeed. */
  private cache: V.Vector | null = null;
  private cacheDims = 0;
  private cacheSeed = 0n;

  private constructor(
    readonly kind: HolonKind,
    readonly children: readonly HolonAST[],
    readonly atom: AtomPayload | null,
    /** Permute: [k]; Thermometer: [value, min, max]; Blend: [w1, w2]. */
    readonly nums: readonly number[],
  ) {}

  static atom(p: AtomPayload): HolonAST {
    return new HolonAST('Atom', [], p, []);
  }
  static bind(a: HolonAST, b: HolonAST): HolonAST {
    return new HolonAST('Bind', [a, b], null, []);
  }
  static bundle(xs: readonly HolonAST[]): HolonAST {
    return new HolonAST('Bundle', xs.slice(), null, []);
  }
  static permute(x: HolonAST, k: number): HolonAST {
    return new HolonAST('Permute', [x], null, [k]);
  }
  static thermometer(value: number, min: number, max: number): HolonAST {
    return new HolonAST('Thermometer', [], null, [value, min, max]);
  }
  static blend(a: HolonAST, b: HolonAST, w1: number, w2: number): HolonAST {
    return new HolonAST('Blend', [a, b], null, [w1, w2]);
  }

  cached(dims: number, seed: bigint): V.Vector | null {
    return this.cache !== null && this.cacheDims === dims && this.cacheSeed === seed ? this.cache : null;
  }
  remember(dims: number, seed: bigint, v: V.Vector): void {
    this.cache = v;
    this.cacheDims = dims;
    this.cacheSeed = seed;
  }
}

export function isHolon(v: unknown): v is HolonAST {
  return v instanceof HolonAST;
}

// ─── encoding ────────────────────────────────────────────────────────────

/**
 * The holon's vector at `dims` under `seed`. Walks the tree with an explicit
 * stack (a long Sequential is a deep Bind chain) and caches every node.
 */
export function encode(root: HolonAST, dims: number, seed: bigint): V.Vector {
  const hit = root.cached(dims, seed);
  if (hit) return hit;
  const stack: { node: HolonAST; expanded: boolean }[] = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const node = top.node;
    if (node.cached(dims, seed)) {
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      for (const c of node.children) if (!c.cached(dims, seed)) stack.push({ node: c, expanded: false });
      continue;
    }
    stack.pop();
    node.remember(dims, seed, encodeNode(node, dims, seed));
  }
  return root.cached(dims, seed)!;
}

function encodeNode(node: HolonAST, dims: number, seed: bigint): V.Vector {
  const kid = (i: number) => node.children[i].cached(dims, seed)!;
  switch (node.kind) {
    case 'Atom':
      return atomVector(node.atom!, dims, seed);
    case 'Bind':
      return V.bind(kid(0), kid(1));
    case 'Bundle':
      return V.bundle(node.children.map((_, i) => kid(i)), dims);
    case 'Permute':
      return V.permute(kid(0), node.nums[0]);
    case 'Thermometer':
      return V.thermometer(node.nums[0], node.nums[1], node.nums[2], dims);
    case 'Blend':
      return V.blend(kid(0), kid(1), node.nums[0], node.nums[1]);
  }
}

// Atom vectors are pure functions of (seed, payload, dims); a process-wide
// cache keeps the hot ones (the same atom built again and again) without
// regenerating them. Bounded by total bytes, oldest out first.
const atomCache = new Map<string, V.Vector>();
let atomCacheBytes = 0;
const ATOM_CACHE_LIMIT = 64 * 1024 * 1024;

function atomVector(p: AtomPayload, dims: number, globalSeed: bigint): V.Vector {
  // primitive payloads are looked up by value, before any hashing
  const quick = quickKey(p);
  const key = quick === null ? null : `${globalSeed}/${dims}/${quick}`;
  if (key !== null) {
    const hit = atomCache.get(key);
    if (hit) return hit;
  }
  const { tag, bytes } = payloadBytes(p);
  const seed = sha256Seed([u64(globalSeed), utf8(tag), u32(bytes.length), bytes]);
  const seedKey = key ?? `#${seed}/${dims}`;
  const known = atomCache.get(seedKey);
  if (known) return known;
  const v = ternaryFromSeed(seed, dims);
  atomCache.set(seedKey, v);
  atomCacheBytes += dims;
  while (atomCacheBytes > ATOM_CACHE_LIMIT && atomCache.size > 1) {
    const [oldest, ov] = atomCache.entries().next().value as [string, V.Vector];
    atomCache.delete(oldest);
    atomCacheBytes -= ov.length;
  }
  return v;
}

function quickKey(p: AtomPayload): string | null {
  switch (p.t) {
    case 'i64':
    case 'bool':
    case 'String':
    case 'keyword':
      return `${p.t}:${p.v}`;
    case 'f64':
      return `f64:${Object.is(p.v, -0) ? '-0' : p.v}`;
    default:
      return null; // holons and quoted programs: keyed by their hash
  }
}

// ─── canonical bytes ─────────────────────────────────────────────────────
// Each payload hashes as (type tag, canonical bytes). The tags and layouts
// follow the reference's registry so that equal programs draw equal vectors.

function payloadBytes(p: AtomPayload): { tag: string; bytes: Uint8Array } {
  switch (p.t) {
    case 'i64':
      return { tag: 'i64', bytes: i64(p.v) };
    case 'f64':
      return { tag: 'f64', bytes: f64(p.v) };
    case 'bool':
      return { tag: 'bool', bytes: Uint8Array.of(p.v ? 1 : 0) };
    case 'String':
      return { tag: 'String', bytes: utf8(p.v) };
    case 'keyword':
      return { tag: 'String', bytes: utf8(p.v.startsWith(':') ? p.v : `:${p.v}`) };
    case 'holon':
      return { tag: 'wat/algebra/Holon', bytes: holonBytes(p.v) };
    case 'wat':
      return { tag: 'wat/WatAST', bytes: watAstBytes(p.v) };
  }
}

class Bytes {
  private parts: Uint8Array[] = [];
  private n = 0;
  push(b: Uint8Array): this {
    this.parts.push(b);
    this.n += b.length;
    return this;
  }
  byte(x: number): this {
    return this.push(Uint8Array.of(x));
  }
  /** A length-prefixed (u32) chunk. */
  chunk(b: Uint8Array): this {
    return this.push(u32(b.length)).push(b);
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.n);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** The structural bytes of a holon (used when a holon is itself atomized). */
export function holonBytes(h: HolonAST): Uint8Array {
  const b = new Bytes();
  switch (h.kind) {
    case 'Atom': {
      const { tag, bytes } = payloadBytes(h.atom!);
      b.byte(0x01).chunk(utf8(tag)).chunk(bytes);
      break;
    }
    case 'Bind':
      b.byte(0x02).chunk(holonBytes(h.children[0])).chunk(holonBytes(h.children[1]));
      break;
    case 'Bundle':
      b.byte(0x03).push(u32(h.children.length));
      for (const c of h.children) b.chunk(holonBytes(c));
      break;
    case 'Permute':
      b.byte(0x04).chunk(holonBytes(h.children[0])).push(i32(h.nums[0]));
      break;
    case 'Thermometer':
      b.byte(0x05).push(f64(h.nums[0])).push(f64(h.nums[1])).push(f64(h.nums[2]));
      break;
    case 'Blend':
      b.byte(0x06).chunk(holonBytes(h.children[0])).chunk(holonBytes(h.children[1])).push(f64(h.nums[0])).push(f64(h.nums[1]));
      break;
  }
  return b.done();
}

/** The bytes of a quoted program (programs as atoms): a tag byte per node kind, lengths as u64. */
function watAstBytes(a: Ast): Uint8Array {
  const b = new Bytes();
  const walk = (x: Ast): void => {
    switch (x.kind) {
      case 'int':
        b.byte(0).push(i64(x.value as number | bigint));
        return;
      case 'float':
        b.byte(1).push(f64(x.value as number));
        return;
      case 'bool':
        b.byte(2).byte(x.value ? 1 : 0);
        return;
      case 'string':
        b.byte(3).push(u64(BigInt(utf8(x.text).length))).push(utf8(x.text));
        return;
      case 'keyword':
        b.byte(4).push(u64(BigInt(utf8(x.text).length))).push(utf8(x.text));
        return;
      case 'symbol': {
        b.byte(5).push(u64(BigInt(utf8(x.text).length))).push(utf8(x.text));
        const scopes = [...new Set(x.scopes)].sort((p, q) => p - q);
        b.push(u64(BigInt(scopes.length)));
        for (const s of scopes) b.push(u64(BigInt(s)));
        return;
      }
      case 'list':
        b.byte(6).push(u64(BigInt(x.items.length)));
        for (const c of x.items) walk(c);
        return;
    }
  };
  walk(a);
  return b.done();
}

const enc = new TextEncoder();
function utf8(s: string): Uint8Array {
  return enc.encode(s);
}
function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}
function i32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n | 0, true);
  return b;
}
function u64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, n), true);
  return b;
}
function i64(n: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt.asIntN(64, BigInt(n)), true);
  return b;
}
function f64(x: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return b;
}
