// The CLI's commands in the test's own process, for tests where the process is not the point: help, flag
// mistakes, refused files. `main()` is what the binary calls (src/bin.ts only turns its result into the exit code),
// so the words, the stream and the code are the binary's; a spawned `overfit` costs 0.2 s of CPU before it reads
// its first flag. What needs the process itself (the bundle, the code cache, a progress bar, a whole run as users
// start it) is in the *.e2e.test.ts files, through spawnCli.ts.
import { main } from '../src/main';
import type { CliResult } from './spawnCli';

let queue: Promise<unknown> = Promise.resolve();

/**
 * `overfit …args` run by `main()` in `cwd`, with `env` added to the environment, its stdout and stderr captured.
 * Commands run one at a time, whoever awaits them (the working folder, the environment and the streams are the
 * process's own), so `Promise.all` over several still gives each its own output.
 */
export function overfitInProcess(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const next = queue.then(() => runCaptured(cwd, args, env));
  queue = next.catch(() => undefined);
  return next;
}

async function runCaptured(cwd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
  const saved = {
    cwd: process.cwd(),
    env: Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]])),
    stdout: process.stdout.write,
    stderr: process.stderr.write,
  };
  process.chdir(cwd);
  Object.assign(process.env, env);
  process.stdout.write = capture(stdout);
  process.stderr.write = capture(stderr);
  try {
    const code = await main(args);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    for (const [name, value] of Object.entries(saved.env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    process.chdir(saved.cwd);
  }
}
