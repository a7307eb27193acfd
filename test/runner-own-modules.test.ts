// Tests for runner/own-modules.ts: every relative require between our
// compiled modules resolves to what node's own resolver says, and what is
// not ours is left to node.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const DIST = path.resolve(__dirname, '..');
const OWN_MODULES = require.resolve('../runner/own-modules');

// Runs `body` in a fresh node where `node` is node's own resolver and
// `ours` the one installed by resolveOwnModulesDirectly.
function inFreshNode(body: string): unknown {
  const script = `
    const Module = require('module');
    const node = Module._resolveFilename;
    require(${JSON.stringify(OWN_MODULES)}).resolveOwnModulesDirectly();
    const ours = Module._resolveFilename;
    const result = (() => { ${body} })();
    process.stdout.write(JSON.stringify(result));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : jsFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

test('every relative require in dist/ resolves as node resolves it', () => {
  const pairs: [string, string][] = [];
  for (const file of jsFiles(DIST)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/require\("(\.\.?\/[^"]+)"\)/g)) pairs.push([file, m[1]]);
  }
  assert.ok(pairs.length > 150, `only ${pairs.length} relative requires found`);
  const mismatches = inFreshNode(`
    const pairs = ${JSON.stringify(pairs)};
    const out = [];
    for (const [filename, request] of pairs) {
      const parent = { filename, id: filename, paths: [] };
      let a, b;
      try { a = node.call(Module, request, parent, false); } catch (e) { a = 'error: ' + e.code; }
      try { b = ours.call(Module, request, parent, false); } catch (e) { b = 'error: ' + e.code; }
      if (a !== b) out.push({ filename, request, node: a, ours: b });
    }
    return out;
  `);
  assert.equal(mismatches, []);
});

test('requests from outside dist/, packages and missing files are left to node', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wat-own-modules-')));
  fs.writeFileSync(path.join(dir, 'x.js'), '');
  const result = inFreshNode(`
    const outside = { filename: ${JSON.stringify(path.join(dir, 'main.js'))}, id: 'm', paths: [] };
    const inside = { filename: ${JSON.stringify(path.join(DIST, 'runner', 'cli.js'))}, id: 'c', paths: Module._nodeModulePaths(${JSON.stringify(path.join(DIST, 'runner'))}) };
    const missing = (() => { try { ours.call(Module, './no-such-module', inside, false); return 'found'; } catch (e) { return e.code; } })();
    return {
      outside: ours.call(Module, './x', outside, false),
      pkg: ours.call(Module, 'uvu', inside, false) === node.call(Module, 'uvu', inside, false),
      builtin: ours.call(Module, 'fs', inside, false),
      missing,
    };
  `);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(result, { outside: path.join(dir, 'x.js'), pkg: true, builtin: 'fs', missing: 'MODULE_NOT_FOUND' });
});

test.run();
