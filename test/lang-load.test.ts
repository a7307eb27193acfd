// The load forms (load!, digest-load!, signed-load!) and the loader
// capabilities, with the scoped loader's containment checked against `..`,
// absolute paths and symlinks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { call, HEADER } from './runtime-helpers';
import { WatStartupError } from '../runtime/errors';
import { FsLoader, MemoryLoader, ScopedLoader, LoadRefused } from '../runtime/loader';
import { loadGraph } from '../runtime/load';
import { parseSource } from '../runtime/parser';
import { startupFromSource } from '../runtime/startup';
import { stdlibWorld } from '../runtime/stdlib';
import { runSandboxedSource } from '../runtime/sandbox';
import { canonicalProgram } from '../runtime/verify';
import { nodeSha256 as sha256 } from './helpers/node-sha256';
import { Loader, World } from '../runtime/world';
import { Some, StructValue } from '../runtime/values';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wat-load-')));
function write(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}
const lit = (s: string) => JSON.stringify(s);
const def = (name: string, v: number) => `(:wat::core::define (${name} -> :i64) ${v})\n`;

function start(src: string, file: string | null, loader: Loader): World {
  return startupFromSource(HEADER + src, file ?? '<entry>', { file, loader, base: stdlibWorld() });
}
function refused(f: () => unknown, pattern: RegExp): void {
  try {
    f();
  } catch (e) {
    assert.instance(e, WatStartupError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable('startup should have failed');
}

// ─── load! ───────────────────────────────────────────────────────────────

test('load! :wat::load::file-path resolves against the loading file; the shorthand takes just the path', () => {
  write('a/lib.wat', `(:wat::core::load! :wat::load::file-path "deeper/more.wat")\n${def(':lib::one', 1)}`);
  write('a/deeper/more.wat', def(':lib::two', 2));
  write('a/other.wat', def(':lib::three', 3));
  const entry = path.join(tmp, 'a/main.wat');
  const w = start('(:wat::core::load! :wat::load::file-path "lib.wat") (:wat::core::load! "other.wat")', entry, new FsLoader());
  assert.is(call(w, ':lib::one'), 1);
  assert.is(call(w, ':lib::two'), 2);
  assert.is(call(w, ':lib::three'), 3);
});

test('load! :wat::load::string splices inline source', () => {
  const w = start(`(:wat::core::load! :wat::load::string ${lit(def(':inline::x', 7))})`, null, new MemoryLoader());
  assert.is(call(w, ':inline::x'), 7);
});

test('a load cycle is an error naming the chain; so is loading the entry file itself', () => {
  write('cyc/a.wat', '(:wat::core::load! "b.wat")');
  write('cyc/b.wat', '(:wat::core::load! "a.wat")');
  const entry = write('cyc/main.wat', '');
  refused(() => start('(:wat::core::load! "a.wat")', entry, new FsLoader()), /load cycle: .*main\.wat → .*a\.wat → .*b\.wat → .*a\.wat/);
  refused(() => start('(:wat::core::load! "main.wat")', entry, new FsLoader()), /load cycle/);
});

test('a source is loaded once: a second load of the same file — by any spelling or link — is an error', () => {
  write('dup/lib.wat', def(':dup::x', 1));
  fs.mkdirSync(path.join(tmp, 'dup/sub'), { recursive: true });
  fs.symlinkSync(path.join(tmp, 'dup/lib.wat'), path.join(tmp, 'dup/alias.wat'));
  const entry = path.join(tmp, 'dup/main.wat');
  refused(() => start('(:wat::core::load! "lib.wat") (:wat::core::load! "sub/../lib.wat")', entry, new FsLoader()), /lib\.wat is loaded more than once/);
  refused(() => start('(:wat::core::load! "lib.wat") (:wat::core::load! "alias.wat")', entry, new FsLoader()), /loaded more than once/);
  const s = def(':dup::y', 2);
  refused(() => start(`(:wat::core::load! :wat::load::string ${lit(s)}) (:wat::core::load! :wat::load::string ${lit(s)})`, null, new MemoryLoader()),
    /inline :wat::load::string source is loaded more than once/);
});

test('a loaded file may not set config, at any depth', () => {
  write('cfg/top.wat', '(:wat::config::set-dims! 512)');
  write('cfg/nested.wat', '(:wat::core::define (:x -> :i64) (:wat::core::let* () (:wat::config::set-global-seed! 1)))');
  const entry = path.join(tmp, 'cfg/main.wat');
  refused(() => start('(:wat::core::load! "top.wat")', entry, new FsLoader()), /:wat::config::set-dims! in loaded file .*top\.wat/);
  refused(() => start('(:wat::core::load! "nested.wat")', entry, new FsLoader()), /set-global-seed! in loaded file/);
});

test('malformed load forms are refused with the fix', () => {
  const m = new MemoryLoader();
  refused(() => start('(:wat::core::load! :wat::load::ftp "x")', null, m), /unknown source interface :wat::load::ftp/);
  refused(() => start('(:wat::core::load! :wat::load::http-path "http://x")', null, m), /reserved \(as in the reference\) and not supported/);
  refused(() => start('(:wat::core::load! :wat::load::file-path)', null, m), /load! takes an interface and a locator, got 1/);
  refused(() => start('(:wat::core::load! :wat::load::file-path 42)', null, m), /must be a string literal/);
  refused(() => start('(:wat::core::digest-load! :wat::load::file-path "x" :wat::verify::digest-sha256)', null, m), /digest-load! takes 5 arguments, got 3/);
  refused(() => start('(:wat::core::digest-load! :wat::load::string "1" :wat::verify::signed-ed25519 :wat::verify::string "0")', null, m),
    /expects a :wat::verify::digest-<algo> keyword/);
  refused(() => start('(:wat::core::load! "missing.wat")', null, m), /in-memory loader with no file missing\.wat/);
});

// ─── digest-load! and signed-load! ───────────────────────────────────────

test('digest-load! checks the raw bytes before anything is parsed', () => {
  const body = def(':dig::x', 5);
  write('dig/lib.wat', body);
  write('dig/lib.wat.sha256', `${sha256(body).toString('hex')}\n`);
  write('dig/spaced.wat', `${body} `);
  const entry = path.join(tmp, 'dig/main.wat');
  const hex = sha256(body).toString('hex');
  const load = (file: string, payload: string) =>
    start(`(:wat::core::digest-load! :wat::load::file-path ${lit(file)} :wat::verify::digest-sha256 ${payload})`, entry, new FsLoader());
  assert.is(call(load('lib.wat', `:wat::verify::string ${lit(hex)}`), ':dig::x'), 5);
  assert.is(call(load('lib.wat', ':wat::verify::file-path "lib.wat.sha256"'), ':dig::x'), 5);
  refused(() => load('spaced.wat', `:wat::verify::string ${lit(hex)}`), /verification failed for .*spaced\.wat: sha256 mismatch/);
  refused(() => load('lib.wat', `:wat::verify::string ${lit('0'.repeat(64))}`), /sha256 mismatch: expected 0{64}/);
  refused(() => start(`(:wat::core::digest-load! :wat::load::file-path "lib.wat" :wat::verify::digest-sha1 :wat::verify::string ${lit(hex)})`, entry, new FsLoader()),
    /unsupported hash algorithm "sha1"/);
});

test('signed-load! checks an Ed25519 signature over the parsed forms', () => {
  const keys = crypto.generateKeyPairSync('ed25519');
  const pub = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
  const body = `${def(':sig::a', 1)}${def(':sig::b', 2)}`;
  const sig = crypto.sign(null, sha256(canonicalProgram(parseSource(body, '<s>'))), keys.privateKey).toString('base64');
  write('sig/lib.wat', body);
  write('sig/commented.wat', `;; reformatted, same forms\n${body.replace(/ 1\)/, '\n    1)')}`);
  write('sig/changed.wat', body.replace('2)', '3)'));
  write('sig/key.b64', `${pub}\n`);
  const entry = path.join(tmp, 'sig/main.wat');
  const load = (file: string) => start(`(:wat::core::signed-load! :wat::load::file-path ${lit(file)} :wat::verify::signed-ed25519
      :wat::verify::string ${lit(sig)} :wat::verify::file-path "key.b64")`, entry, new FsLoader());
  assert.is(call(load('lib.wat'), ':sig::b'), 2);
  assert.is(call(load('commented.wat'), ':sig::a'), 1);
  refused(() => load('changed.wat'), /verification failed for .*changed\.wat: ed25519 signature verification failed/);
});

// ─── the scoped loader ───────────────────────────────────────────────────

const root = path.join(tmp, 'scope/root');
write('scope/root/ok.wat', def(':scope::ok', 1));
write('scope/root/sub/inner.wat', `(:wat::core::load! "../ok.wat")\n${def(':scope::inner', 2)}`);
write('scope/root/sub/escape.wat', '(:wat::core::load! "../../secret.wat")');
write('scope/secret.wat', def(':scope::secret', 666));
write('scope/secret.sha256', 'deadbeef');
write('scope/outside/other.wat', def(':scope::other', 3));
fs.symlinkSync(path.join(tmp, 'scope/secret.wat'), path.join(root, 'link-out.wat'));
fs.symlinkSync(path.join(tmp, 'scope/outside'), path.join(root, 'dir-out'));
fs.symlinkSync(path.join(root, 'ok.wat'), path.join(root, 'link-in.wat'));
fs.symlinkSync(root, path.join(tmp, 'scope/root-link'));

const scoped = (src: string) => start(src, null, new ScopedLoader(root));

test('scoped: files inside the root load, relative to the root and to each other', () => {
  assert.is(call(scoped('(:wat::core::load! "ok.wat")'), ':scope::ok'), 1);
  assert.is(call(scoped('(:wat::core::load! "sub/inner.wat")'), ':scope::ok'), 1);
  assert.is(call(scoped('(:wat::core::load! "link-in.wat")'), ':scope::ok'), 1);
  assert.is(call(scoped(`(:wat::core::load! ${lit(path.join(root, 'ok.wat'))})`), ':scope::ok'), 1);
});

test('scoped: .. cannot climb out, directly or from a loaded file', () => {
  refused(() => scoped('(:wat::core::load! "../secret.wat")'), /resolves to .*scope\/secret\.wat, outside the scope/);
  refused(() => scoped('(:wat::core::load! "sub/../../secret.wat")'), /outside the scope/);
  refused(() => scoped('(:wat::core::load! "sub/escape.wat")'), /outside the scope/);
});

test('scoped: absolute paths outside the root are refused', () => {
  refused(() => scoped(`(:wat::core::load! ${lit(path.join(tmp, 'scope/secret.wat'))})`), /outside the scope/);
  refused(() => scoped('(:wat::core::load! "/etc/passwd")'), /outside the scope/);
});

test('scoped: a symlink inside the root pointing outside is refused — file or directory', () => {
  refused(() => scoped('(:wat::core::load! "link-out.wat")'), /link-out\.wat resolves to .*scope\/secret\.wat, outside the scope/);
  refused(() => scoped('(:wat::core::load! "dir-out/other.wat")'), /outside the scope/);
});

test('scoped: whether a path outside exists is not revealed', () => {
  refused(() => scoped('(:wat::core::load! "../no-such-file.wat")'), /outside the scope/);
  refused(() => scoped('(:wat::core::load! "no-such-file.wat")'), /no such file in scope/);
});

test('scoped: verification payloads are clamped too', () => {
  refused(() => scoped('(:wat::core::digest-load! :wat::load::file-path "ok.wat" :wat::verify::digest-sha256 :wat::verify::file-path "../secret.sha256")'),
    /verification payload "\.\.\/secret\.sha256": .*outside the scope/);
});

test('scoped: a root given through a symlink is clamped to its real directory', () => {
  const l = new ScopedLoader(path.join(tmp, 'scope/root-link'));
  assert.is(l.root, root);
  assert.throws(() => l.read('../secret.wat', null), (e: unknown) => e instanceof LoadRefused && /outside the scope/.test((e as Error).message));
  assert.throws(() => new ScopedLoader(path.join(tmp, 'scope/secret.wat')), /not a directory/);
  assert.throws(() => new ScopedLoader(path.join(tmp, 'nope')), /does not exist/);
});

test('run-sandboxed with a scope cannot load outside it', () => {
  const src = `${HEADER}(:wat::core::load! "link-out.wat")
    (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :()) ())`;
  const r = runSandboxedSource(src, [], root);
  const failure = r.get('failure');
  assert.instance(failure, Some);
  assert.match(((failure as Some).value as StructValue).get('message') as string, /outside the scope/);
  const ok = runSandboxedSource(src.replace('link-out.wat', 'ok.wat'), [], root);
  assert.is(ok.get('failure') instanceof Some, false);
});

// ─── the in-memory loader ────────────────────────────────────────────────

test('memory: only registered files exist; paths resolve against the loading file', () => {
  const files = new Map([
    ['lib/a.wat', `(:wat::core::load! "b.wat")\n${def(':mem::a', 1)}`],
    ['lib/b.wat', def(':mem::b', 2)],
    ['lib/b.sha256', sha256(def(':mem::b', 2)).toString('hex')],
  ]);
  const w = start('(:wat::core::load! "lib/a.wat")', null, new MemoryLoader(files));
  assert.is(call(w, ':mem::b'), 2);
  refused(() => start('(:wat::core::load! "b.wat")', null, new MemoryLoader(files)), /no file b\.wat/);
  const d = start('(:wat::core::digest-load! :wat::load::file-path "lib/b.wat" :wat::verify::digest-sha256 :wat::verify::file-path "lib/b.sha256")',
    null, new MemoryLoader(files));
  assert.is(call(d, ':mem::b'), 2);
});

test('loadGraph lists the files a program reaches', () => {
  write('graph/x.wat', '(:wat::core::load! "y.wat")');
  write('graph/y.wat', '');
  const entry = path.join(tmp, 'graph/main.wat');
  const forms = parseSource('(:wat::core::load! "x.wat") (:wat::core::load! :wat::load::string "")', entry);
  assert.equal(loadGraph(forms, entry, new FsLoader()).map((p) => path.basename(p)), ['x.wat', 'y.wat']);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
