// Tests for runtime/sha256.ts against node:crypto, and for what it is for:
// wat-test and wat start without loading node:crypto unless a signature
// check may need it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sha256 } from '../runtime/sha256';
import { nodeSha256 } from './helpers/node-sha256';

test('the FIPS 180-4 examples', () => {
  assert.is(sha256('').toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(sha256('abc').toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(
    sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq').toString('hex'),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  );
});

test('every length around the block and padding boundaries, and UTF-8 strings', () => {
  for (let n = 0; n <= 300; n++) {
    const bytes = randomBytes(n);
    assert.is(sha256(bytes).toString('hex'), nodeSha256(bytes).toString('hex'), `length ${n}`);
  }
  for (const s of ['héllo wörld', '日本語のテキスト', '🙂'.repeat(40)]) assert.is(sha256(s).toString('hex'), nodeSha256(s).toString('hex'));
});

test('large inputs, on both sides of the hand-over to node:crypto', () => {
  for (const n of [64 * 1024 - 1, 64 * 1024, 1 << 20]) {
    const bytes = randomBytes(n);
    assert.is(sha256(bytes).toString('hex'), nodeSha256(bytes).toString('hex'), `length ${n}`);
  }
});

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'wat-test');
const CRYPTO_PROBE = path.join(os.tmpdir(), `wat-crypto-probe-${process.pid}.js`);
fs.writeFileSync(
  CRYPTO_PROBE,
  "process.on('exit', () => require('fs').writeSync(2, `crypto loaded: ${process.moduleLoadList.includes('NativeModule crypto')}\\n`));\n",
);

function cryptoLoadedBy(files: Record<string, string>): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-crypto-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const r = spawnSync(process.execPath, ['--single-threaded', '-r', CRYPTO_PROBE, BIN, dir, '--reporter', 'json'], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.is(r.status, 0, r.stdout + r.stderr);
  const m = /crypto loaded: (true|false)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return m![1] === 'true';
}

const HEADER = '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n';

test('a run of tests that check no signature never loads node:crypto', () => {
  const atoms = `${HEADER}(:wat::test::deftest :t::test-atoms 1024 :error
  (:wat::test::assert-eq (:wat::core::> (:wat::algebra::cosine (:wat::algebra::Atom "a") (:wat::algebra::Atom "a")) 0.99) true))
`;
  assert.is(cryptoLoadedBy({ 'atoms.wat': atoms }), false);
});

test('a run whose sources name a signature check loads it once, before the children fork', () => {
  const signed = `${HEADER}(:wat::test::deftest :t::test-signed 1024 :error
  (:wat::test::assert-eq (:wat::core::string::contains? ":wat::verify::signed-ed25519" "signed") true))
`;
  assert.is(cryptoLoadedBy({ 'signed.wat': signed }), true);
});

test.after(() => fs.rmSync(CRYPTO_PROBE, { force: true }));

test.run();
