// Before any test file: bundle the server and its worker threads once (dist/), as `npm start` does. The entry-point
// and worker-thread tests run those files; building in each test file would race between jest's workers.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [join(__dirname, '..', 'build.mjs')], { stdio: 'inherit' });
};
