// :rust::lru::LruCache — the Rust shim the reference ships by default,
// here as a Map kept in recency order. Like the reference's thread-owned
// cell, a cache belongs to the green thread that made it: touching it from
// another thread is an error that says so.

import { WatRuntimeError, typeMismatch } from '../errors';
import { valueKey } from '../equality';
import type { Thread } from '../thread';
import { NONE, Opaque, Some, UNIT, Value, typeName } from '../values';
import { asInt } from './numbers';
import { pure } from './registry';

export class LruCache implements Opaque {
  readonly typeName = 'rust::lru::LruCache';
  readonly entries = new Map<string, [Value, Value]>();
  constructor(readonly capacity: number, readonly owner: Thread) {}
  heldValues(): Iterable<Value> {
    return [...this.entries.values()].flat();
  }
}

const L = ':rust::lru::LruCache::';

function cache(v: Value, op: string, t: Thread): LruCache {
  if (!(v instanceof LruCache)) throw typeMismatch(op, ':rust::lru::LruCache', typeName(v));
  if (v.owner !== t) {
    throw new WatRuntimeError(
      `${op}: the cache is owned by thread ${v.owner.id} (${v.owner.name}); you are thread ${t.id} (${t.name}). Create the cache inside the thread that uses it.`,
      'type-mismatch');
  }
  return v;
}

pure(`${L}new`, 1, ([n], t) => {
  const cap = asInt(n, `${L}new`);
  if (cap <= 0) throw new WatRuntimeError(`${L}new: capacity must be positive; got ${cap}`);
  return new LruCache(cap, t);
});

pure(`${L}put`, 3, ([c, k, v], t) => {
  const lru = cache(c, `${L}put`, t);
  const key = valueKey(k);
  lru.entries.delete(key);
  lru.entries.set(key, [k, v]);
  if (lru.entries.size > lru.capacity) lru.entries.delete(lru.entries.keys().next().value!);
  return UNIT;
});

pure(`${L}get`, 2, ([c, k], t) => {
  const lru = cache(c, `${L}get`, t);
  const key = valueKey(k);
  const hit = lru.entries.get(key);
  if (!hit) return NONE;
  // a read makes the entry the most recently used
  lru.entries.delete(key);
  lru.entries.set(key, hit);
  return new Some(hit[1]);
});
