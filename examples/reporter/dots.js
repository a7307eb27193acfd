// A wat-test reporter: one character per test, then the failures and a count.
// Use it with: npx wat-test --reporter ./examples/reporter/dots.js
module.exports = function dots({ out }) {
  const failed = [];
  const mark = { passed: '.', flaky: '?', failed: 'F', 'timed-out': 'T', crashed: 'C' };
  return {
    onTestFinished({ result }) {
      out.write(mark[result.status]);
      if (result.status !== 'passed' && result.status !== 'flaky') failed.push(result);
    },
    onFileFailed({ file, message }) {
      out.write(`\n${file} failed to load: ${message}\n`);
    },
    onRunFinished({ passed, flaky }) {
      for (const r of failed) out.write(`\n${r.status}: ${r.file} › ${r.name}: ${r.failure?.message ?? ''}`);
      out.write(`\n${passed} passed, ${flaky} flaky, ${failed.length} failed\n`);
    },
  };
};
