// Tests for runner/code-cache.ts: a process compiles this package's modules
// and leaves their code cache at exit; the next one takes every module from
// it and leaves the file alone; a damaged or unwritable cache changes
// nothing but speed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const CODE_CACHE = require.resolve('../runner/code-cache');
const RUNTIME = require.resolve('../runtime');

// A process that loads the runtime through the cache and runs a wat program.
function run(dir: string): { modules: number; fromCache: number; output: string } {
  const script = `
    const cc = require(${JSON.stringify(CODE_CACHE)});
    cc.useCodeCache('test', ${JSON.stringify(dir)});
    const rt = require(${JSON.stringify(RUNTIME)});
    const { modules, fromCache } = cc.codeCacheReport();
    const world = typeof rt.warmUp === 'function' ? (rt.warmUp(), 'warm') : 'none';
    console.log(JSON.stringify({ modules, fromCache, output: world }));
  `;
  const r = spawnSync(process.execPath, ['--single-threaded', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function cacheFile(dir: string): string {
  const files = fs.readdirSync(dir);
  assert.is(files.length, 1, `one cache file: ${files}`);
  return path.join(dir, files[0]);
}

test('the first process writes the cache, the next takes every module from it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-code-cache-'));
  try {
    const first = run(dir);
    assert.ok(first.modules > 20, `${first.modules} modules`);
    assert.is(first.fromCache, 0);
    const file = cacheFile(dir);
    const written = fs.statSync(file).mtimeMs;
    const second = run(dir);
    assert.is(second.modules, first.modules);
    assert.is(second.fromCache, second.modules, 'every module from the cache');
    assert.is(second.output, first.output);
    assert.is(fs.statSync(file).mtimeMs, written, 'a cache V8 accepted is not written again');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged cache is compiled around and replaced', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-code-cache-'));
  try {
    run(dir);
    const file = cacheFile(dir);
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 8, bytes.length); // entry names and data overwritten
    fs.writeFileSync(file, bytes);
    const damaged = run(dir);
    assert.is(damaged.fromCache, 0);
    assert.is(damaged.output, 'warm');
    assert.is(run(dir).fromCache, damaged.modules, 'rewritten whole');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('where the cache cannot be written, nothing changes but speed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-code-cache-'));
  const blocked = path.join(dir, 'not-a-directory');
  fs.writeFileSync(blocked, '');
  try {
    const r = run(blocked);
    assert.is(r.fromCache, 0);
    assert.is(r.output, 'warm');
    assert.is(fs.readFileSync(blocked, 'utf8'), '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a module rebuilt since, even to the same length, is compiled from its source', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-code-cache-'));
  const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-code-cache-pkg-'));
  try {
    // a copy of code-cache.js in a package of its own, serving one module
    fs.mkdirSync(path.join(pkg, 'dist', 'runner'), { recursive: true });
    fs.copyFileSync(CODE_CACHE, path.join(pkg, 'dist', 'runner', 'code-cache.js'));
    const mod = path.join(pkg, 'dist', 'answer.js');
    const load = () => {
      const script = `
        const cc = require(${JSON.stringify(path.join(pkg, 'dist', 'runner', 'code-cache.js'))});
        cc.useCodeCache('test', ${JSON.stringify(dir)});
        const answer = require(${JSON.stringify(mod)});
        console.log(JSON.stringify({ answer: answer(), ...cc.codeCacheReport() }));
      `;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      assert.is(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    fs.writeFileSync(mod, 'module.exports = () => 41;\n');
    assert.is(load().answer, 41);
    assert.equal(load(), { answer: 41, modules: 1, fromCache: 1 });
    fs.writeFileSync(mod, 'module.exports = () => 42;\n'); // same length
    fs.utimesSync(mod, new Date(), new Date(Date.now() + 5000));
    assert.equal(load(), { answer: 42, modules: 1, fromCache: 0 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(pkg, { recursive: true, force: true });
  }
});

test.run();
