// NODE_EXTRA_CA_CERTS: bin/wat-test starts node without it (node would parse
// the certificates it names before our first line) and puts it back for
// whatever starts from there (runner/node-env.ts). Checked through the
// shebang, as a user starts it, and through the re-run of a plain `node`.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CARRIED_CA_CERTS, carryingEnv, restoreCarriedEnv } from '../runner/node-env';

const repo = path.resolve(__dirname, '..', '..');
const bin = path.join(repo, 'bin', 'wat-test');
const pass = path.join(repo, 'fixtures', 'exit-paths', 'pass.wat');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-node-env-'));
// A file node cannot read: loading it at start prints node's warning, so its absence shows it was not read.
const missing = path.join(dir, 'no such bundle.pem');
const NODE_WARNING = 'Ignoring extra certs';
// A reporter that shows the environment the run sees.
const reporter = path.join(dir, 'env-reporter.js');
fs.writeFileSync(reporter, `module.exports = (opts) => ({
  onRunFinished() {
    opts.out.write(JSON.stringify({ extra: process.env.NODE_EXTRA_CA_CERTS ?? null, carried: process.env.${CARRIED_CA_CERTS} ?? null }) + '\\n');
  },
});
`);

function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.WAT_TEST_REEXECUTED;
  delete env[CARRIED_CA_CERTS];
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/** Runs the passing fixture with the env reporter: `bin/wat-test` itself, or `node bin/wat-test`. */
function run(command: string[], extra: NodeJS.ProcessEnv) {
  const [file, ...args] = command;
  return spawnSync(file, [...args, '--reporter', reporter, pass], { cwd: dir, encoding: 'utf8', env: baseEnv(extra), timeout: 30_000 });
}

const seen = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!) as { extra: string | null; carried: string | null };

test('restoreCarriedEnv puts back a carried value, and an empty one stays unset', () => {
  const env: NodeJS.ProcessEnv = { [CARRIED_CA_CERTS]: '/etc/ca b.pem', OTHER: '1' };
  restoreCarriedEnv(env);
  assert.equal(env, { NODE_EXTRA_CA_CERTS: '/etc/ca b.pem', OTHER: '1' });
  const unset: NodeJS.ProcessEnv = { [CARRIED_CA_CERTS]: '' };
  restoreCarriedEnv(unset);
  assert.equal(unset, {});
  const untouched: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: '/x.pem' };
  restoreCarriedEnv(untouched);
  assert.equal(untouched, { NODE_EXTRA_CA_CERTS: '/x.pem' }, 'a start that carried nothing changes nothing');
});

test('carryingEnv moves the variable aside and leaves the caller\'s environment alone', () => {
  const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: '/x.pem', PATH: '/bin' };
  assert.equal(carryingEnv(env), { [CARRIED_CA_CERTS]: '/x.pem', PATH: '/bin' });
  assert.equal(env, { NODE_EXTRA_CA_CERTS: '/x.pem', PATH: '/bin' });
  assert.equal(carryingEnv({ PATH: '/bin' }), { PATH: '/bin' });
});

test('through the shebang: node reads no CA file, and the run sees NODE_EXTRA_CA_CERTS as given', () => {
  const r = run([bin], { NODE_EXTRA_CA_CERTS: missing });
  assert.is(r.status, 0, r.stderr);
  assert.not.match(r.stderr, NODE_WARNING);
  assert.equal(seen(r.stdout), { extra: missing, carried: null });
});

test('through the shebang without the variable: it stays unset', () => {
  const r = run([bin], { NODE_EXTRA_CA_CERTS: undefined });
  assert.is(r.status, 0, r.stderr);
  assert.equal(seen(r.stdout), { extra: null, carried: null });
});

test('a plain `node bin/wat-test` reads it once (node does, before us); its re-run does not, and sees it as given', () => {
  const r = run([process.execPath, bin], { NODE_EXTRA_CA_CERTS: missing });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr.split(NODE_WARNING).length - 1, 1, r.stderr);
  assert.equal(seen(r.stdout), { extra: missing, carried: null });
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test.run();
