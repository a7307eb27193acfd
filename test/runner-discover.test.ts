// Discovery: files, directories, globs → sorted, deduplicated absolute .wat
// paths; a missing path is a usage error that names it.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { discoverTestFiles } from '../runner/discover';
import { UsageError } from '../runner/errors';

/** Creates an empty file at `rel` below `dir` (and its folders); its absolute path. */
const toucher = (dir: string) => (rel: string) => {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, '');
  return abs;
};
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-discover-'));
const touch = toucher(root);
const b = touch('suite/b.wat');
const a = touch('suite/a.wat');
const deep = touch('suite/nested/deeper/c.wat');
touch('suite/notes.txt');
touch('suite/nested/d.wat.bak');
const other = touch('other/z.wat');

test('a directory yields every .wat below it, sorted, as absolute paths', () => {
  assert.equal(discoverTestFiles(['suite'], root), [a, b, deep]);
});

// Trees of their own: the glob tests below walk all of `root`.
const walkRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-discover-walk-'));
const touchIn = toucher(walkRoot);

test('a directory is walked as the glob **/*.wat walks it: hidden entries skipped, links followed', () => {
  const tree = path.join(walkRoot, 'tree');
  const t = (rel: string) => touchIn(path.join('tree', rel));
  t('x.wat');
  t('.hidden.wat');
  t('.dot/inside.wat');
  t('sub/y.wat');
  t('sub/y.txt');
  fs.mkdirSync(path.join(tree, 'not-a-file.wat'));
  fs.symlinkSync(path.join(tree, 'sub'), path.join(tree, 'linked'));
  fs.symlinkSync(path.join(tree, 'x.wat'), path.join(tree, 'alias.wat'));
  fs.symlinkSync(path.join(tree, 'gone'), path.join(tree, 'dangling.wat'));
  const expected = (require('fast-glob') as typeof import('fast-glob'))
    .sync('**/*.wat', { cwd: tree, absolute: true, onlyFiles: true })
    .map((f) => path.resolve(f))
    .sort();
  assert.equal(discoverTestFiles(['tree'], walkRoot), expected);
  assert.equal(expected.map((f) => path.relative(tree, f)), ['alias.wat', 'linked/y.wat', 'sub/y.wat', 'x.wat']);
});

test('a symbolic link back up the tree is not followed round (the glob goes 40 deep)', () => {
  touchIn('loop/l.wat');
  fs.symlinkSync(path.join(walkRoot, 'loop'), path.join(walkRoot, 'loop', 'again'));
  assert.equal(discoverTestFiles(['loop'], walkRoot), [path.join(walkRoot, 'loop', 'l.wat')]);
});

test('a file yields itself; relative specs resolve against cwd', () => {
  assert.equal(discoverTestFiles(['suite/b.wat'], root), [b]);
  assert.equal(discoverTestFiles([b], '/'), [b]);
});

test('globs match .wat files only', () => {
  assert.equal(discoverTestFiles(['suite/*.wat'], root), [a, b]);
  assert.equal(discoverTestFiles(['**/*'], root), [other, a, b, deep]);
});

test('overlapping specs are deduplicated and the union is sorted', () => {
  assert.equal(discoverTestFiles(['other', 'suite/a.wat', 'suite', 'suite/*.wat'], root), [other, a, b, deep]);
});

test('a glob that matches nothing yields nothing (the CLI reports "no tests")', () => {
  assert.equal(discoverTestFiles(['nowhere/*.wat'], root), []);
});

test('a path that does not exist is a UsageError naming it', () => {
  try {
    discoverTestFiles(['suite', 'missing-dir'], root);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match((err as Error).message, 'missing-dir does not exist');
    assert.match((err as Error).message, path.join(root, 'missing-dir'));
  }
});

test('an existing file that is not .wat is a UsageError', () => {
  assert.throws(() => discoverTestFiles(['suite/notes.txt'], root), (err: Error) =>
    err instanceof UsageError && err.message.includes('notes.txt is not a .wat file'));
});

test.after(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(walkRoot, { recursive: true, force: true });
});

test.run();
