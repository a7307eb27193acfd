// Provenance checks shared by the verified load forms (digest-load!,
// signed-load!) and the verified eval forms (eval-digest!, eval-signed!).
//
// - A digest is over raw source bytes: "these bytes did not change".
// - A signature is Ed25519 over the SHA-256 of a form list's canonical
//   encoding: "this program, as parsed, was signed by the key holder" —
//   comments and whitespace do not matter, the parsed forms do.
//
// The canonical encoding is a tagged, length-prefixed byte stream, so that
// equal ASTs give equal bytes and no two different ASTs collide:
//   int 0x10 + i64 LE · float 0x11 + f64 bits LE · bool 0x12 + 1 byte
//   string 0x13 / keyword 0x14 + u32 LE byte length + UTF-8
//   symbol 0x15 + u32 LE length + UTF-8 + u32 LE scope count + u64 LE each
//   list 0x16 + u32 LE count + children · program 0x17 + u32 LE count + forms

import type * as Crypto from 'crypto';
import { Ast } from './ast';
import { sha256 } from './sha256';

// node:crypto loads in ~10 ms; only signature checks need it, so not at start-up
// (digests are runtime/sha256.ts's).
const crypto = (): typeof Crypto => require('crypto');

const TAG = { int: 0x10, float: 0x11, bool: 0x12, string: 0x13, keyword: 0x14, symbol: 0x15, list: 0x16, program: 0x17 } as const;

class ByteSink {
  private buf = Buffer.alloc(256);
  private len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }
  u32(n: number): void {
    this.room(4);
    this.buf.writeUInt32LE(n, this.len);
    this.len += 4;
  }
  i64(n: bigint): void {
    this.room(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, n), this.len);
    this.len += 8;
  }
  u64(n: bigint): void {
    this.room(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, n), this.len);
    this.len += 8;
  }
  f64(x: number): void {
    this.room(8);
    this.buf.writeDoubleLE(x, this.len);
    this.len += 8;
  }
  text(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u32(b.length);
    this.room(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

function writeAst(a: Ast, out: ByteSink): void {
  switch (a.kind) {
    case 'int':
      out.byte(TAG.int);
      out.i64(BigInt(a.value as number | bigint));
      return;
    case 'float':
      out.byte(TAG.float);
      out.f64(a.value as number);
      return;
    case 'bool':
      out.byte(TAG.bool);
      out.byte(a.value ? 1 : 0);
      return;
    case 'string':
      out.byte(TAG.string);
      out.text(a.text);
      return;
    case 'keyword':
      out.byte(TAG.keyword);
      out.text(a.text);
      return;
    case 'symbol': {
      out.byte(TAG.symbol);
      out.text(a.text);
      const scopes = [...a.scopes].sort((x, y) => x - y);
      out.u32(scopes.length);
      for (const s of scopes) out.u64(BigInt(s));
      return;
    }
    case 'list':
      out.byte(TAG.list);
      out.u32(a.items.length);
      for (const c of a.items) writeAst(c, out);
      return;
  }
}

/** The canonical bytes of one AST. */
export function canonicalAst(a: Ast): Buffer {
  const out = new ByteSink();
  writeAst(a, out);
  return out.bytes();
}

/** The canonical bytes of a program (a form list); never equal to any single form's bytes. */
export function canonicalProgram(forms: readonly Ast[]): Buffer {
  const out = new ByteSink();
  out.byte(TAG.program);
  out.u32(forms.length);
  for (const f of forms) writeAst(f, out);
  return out.bytes();
}

/** A failed check: `message` says what and why; never thrown past the callers in load.ts / eval.ts. */
export class VerifyError extends Error {}

/** Hash `source` with `algo` and compare with the expected hex digest (case-insensitive). */
export function verifyDigest(source: Buffer | string, algo: string, expectedHex: string): void {
  if (algo !== 'sha256') throw new VerifyError(`unsupported hash algorithm ${JSON.stringify(algo)}: this build supports sha256`);
  const actual = sha256(source).toString('hex');
  if (actual !== expectedHex.toLowerCase()) {
    throw new VerifyError(`sha256 mismatch: expected ${expectedHex}, got ${actual}`);
  }
}

/** Verify a signature over the SHA-256 of a program's canonical bytes. */
export function verifyProgramSignature(forms: readonly Ast[], algo: string, sigB64: string, pubB64: string): void {
  verifySignature(sha256(canonicalProgram(forms)), algo, sigB64, pubB64);
}

/** Verify a signature over the SHA-256 of one AST's canonical bytes. */
export function verifyAstSignature(ast: Ast, algo: string, sigB64: string, pubB64: string): void {
  verifySignature(sha256(canonicalAst(ast)), algo, sigB64, pubB64);
}

function verifySignature(message: Buffer, algo: string, sigB64: string, pubB64: string): void {
  if (algo !== 'ed25519') throw new VerifyError(`unsupported signature algorithm ${JSON.stringify(algo)}: this build supports ed25519`);
  const sig = strictBase64(sigB64, 'signature');
  const pub = strictBase64(pubB64, 'public key');
  if (sig.length !== 64) throw new VerifyError(`ed25519 signature must be 64 bytes, got ${sig.length}`);
  if (pub.length !== 32) throw new VerifyError(`ed25519 public key must be 32 bytes, got ${pub.length}`);
  // strict verification: a small-order key or R component verifies too many messages
  if (smallOrder(pub)) throw new VerifyError('ed25519 public key rejected: it is a small-order point');
  if (smallOrder(sig.subarray(0, 32))) throw new VerifyError('ed25519 signature verification failed');
  let key: Crypto.KeyObject;
  try {
    key = crypto().createPublicKey({ key: Buffer.concat([ED25519_SPKI, pub]), format: 'der', type: 'spki' });
  } catch (e) {
    throw new VerifyError(`ed25519 public key rejected: ${(e as Error).message}`);
  }
  let ok = false;
  try {
    ok = crypto().verify(null, message, key, sig);
  } catch {
    ok = false;
  }
  if (!ok) throw new VerifyError('ed25519 signature verification failed');
}

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows. */
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

/** Encodings (sign bit ignored) of the points of order 1, 2, 4 and 8, canonical or not. */
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((h) => Buffer.from(h, 'hex'));

function smallOrder(p: Buffer): boolean {
  const q = Buffer.from(p);
  q[31] &= 0x7f;
  return SMALL_ORDER.some((s) => s.equals(q));
}

/** Standard padded base64, refusing anything the strict decoders refuse (stray characters, bad padding, non-zero spare bits). */
export function strictBase64(s: string, what: string): Buffer {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) {
    throw new VerifyError(`${what} is not valid base64`);
  }
  const b = Buffer.from(s, 'base64');
  if (b.toString('base64') !== s) throw new VerifyError(`${what} is not valid base64 (non-canonical encoding)`);
  return b;
}
