// The executable's body (bundled to apps/cli/dist/overfit.cjs); main.ts stays importable by tests.
import { main } from './main';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
