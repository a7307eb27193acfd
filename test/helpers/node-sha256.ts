// SHA-256 by node:crypto: the independent reference the tests check the
// runtime's own digests (runtime/sha256.ts) and digest-checked loads against.
import { createHash } from 'crypto';

export function nodeSha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}
