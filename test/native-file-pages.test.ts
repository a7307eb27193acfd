// Tests for native/src/file-pages.cc: after copyFilePagesOnFork() a forked
// child starts with the library code pages this process had already faulted
// in, and the code itself is unchanged. Runs in a fresh node process: the
// change is permanent for the process that makes it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';

const SCRIPT = `
  const fs = require('fs');
  const crypto = require('crypto');
  const native = require(${JSON.stringify(require.resolve('../native'))});

  // libc's code mapping in a smaps text: its start and its resident kB
  function libcCode(smaps) {
    let start = null, rss = 0, inside = false;
    for (const line of smaps.split('\\n')) {
      const m = /^([0-9a-f]+)-[0-9a-f]+ (\\S+) \\S+ \\S+ \\S+\\s*(\\S*)/.exec(line);
      if (m) {
        inside = m[2] === 'r-xp' && /\\/libc\\.so/.test(m[3]);
        if (inside && start === null) start = parseInt(m[1], 16);
        continue;
      }
      if (inside && line.startsWith('Rss:')) rss += parseInt(line.split(/\\s+/)[1], 10);
    }
    return { start, rss };
  }
  const own = () => libcCode(fs.readFileSync('/proc/self/smaps', 'utf8'));

  // what a child has of libc's code before it does anything else
  function childRss() {
    const p = native.pipeFds();
    const pid = native.fork({ stdin: 0, stdout: p.write.fd, stderr: 2 });
    if (pid === 0) {
      let out = '-1';
      try { out = String(own().rss); } catch {}
      native.write(1, out);
      native.exit(0);
    }
    p.write.close();
    const chunks = [];
    for (let b = native.read(p.read.fd); b !== null; b = native.read(p.read.fd)) chunks.push(b);
    p.read.close();
    const status = native.waitSync(pid).status;
    return { rss: Number(Buffer.concat(chunks).toString()), status };
  }

  const firstPage = (start) => {
    const fd = fs.openSync('/proc/self/mem', 'r');
    const page = Buffer.alloc(4096);
    fs.readSync(fd, page, 0, 4096, start);
    fs.closeSync(fd);
    return crypto.createHash('sha256').update(page).digest('hex');
  };

  const parent = own();
  const codeBefore = firstPage(parent.start);
  const before = childRss();
  const mappings = native.copyFilePagesOnFork();
  const after = childRss();
  console.log(JSON.stringify({
    parentRss: own().rss, before, after, mappings,
    unchanged: firstPage(parent.start) === codeBefore,
  }));
`;

test('copyFilePagesOnFork: children start with the code pages the parent had, which stay as they were', () => {
  const r = spawnSync(process.execPath, ['--single-threaded', '-e', SCRIPT], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const { parentRss, before, after, mappings, unchanged } = JSON.parse(r.stdout);
  assert.ok(mappings > 0, `${mappings} code mappings`);
  assert.is(before.status, 0);
  assert.is(after.status, 0, 'a child runs with the inherited code');
  assert.ok(unchanged, "libc's first code page is byte for byte what it was");
  assert.ok(after.rss >= 0.9 * parentRss, `a child has ${after.rss} kB of libc's code resident at once; the parent ${parentRss} kB`);
  assert.ok(after.rss > before.rss, `without the call a child starts with ${before.rss} kB, with it ${after.rss} kB`);
});

test.run();
