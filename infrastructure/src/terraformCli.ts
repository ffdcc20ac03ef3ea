// The real terraform binary, run offline: the hashicorp/aws provider comes from a filesystem mirror that ships
// with the machine image (the public registry is unreachable from CI and from the development machines). Each
// run works on a throw-away copy of the repository's Terraform, with its own CLI config and TF_DATA_DIR, so no
// `.terraform` folder or state is ever left in the repository.
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/**
 * The provider the configuration needs, as the mirror lays it out:
 * <mirror>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/.
 */
const PROVIDER_PATH = ['registry.terraform.io', 'hashicorp', 'aws'];
/** Where a machine image or a user puts provider mirrors, searched in this order (a few levels deep). */
const MIRROR_ROOTS = [
  '/opt',
  '/usr/local/share/terraform',
  '/usr/share/terraform',
  '/usr/local/lib',
  join(process.env.HOME ?? '/root', '.terraform.d'),
];
const SEARCH_DEPTH = 3;

export interface TerraformTools {
  /** Absolute path of the terraform binary. */
  binary: string;
  /** The folder that holds registry.terraform.io/hashicorp/aws. */
  mirror: string;
}

/** The terraform binary on PATH, or null. */
function findTerraformBinary(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'terraform');
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

const isMirror = (dir: string): boolean => {
  const provider = join(dir, ...PROVIDER_PATH);
  return existsSync(provider) && readdirSync(provider).length > 0;
};

/** A folder below `roots` (breadth first, `depth` levels) holding registry.terraform.io/hashicorp/aws, or null. */
function searchProviderMirror(roots: string[] = MIRROR_ROOTS, depth = SEARCH_DEPTH): string | null {
  let level = roots.filter((root) => existsSync(root));
  for (let d = 0; d <= depth && level.length > 0; d++) {
    const next: string[] = [];
    for (const dir of level) {
      if (isMirror(dir)) return dir;
      try {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
            next.push(join(dir, entry.name));
        }
      } catch {
        // unreadable folder
      }
    }
    level = next;
  }
  return null;
}

/**
 * The mirror: OVERFIT_TF_PROVIDER_MIRROR if set, else the path found last time (cached in `cacheFile`, checked
 * again before use), else a search of the usual roots, whose result is cached.
 */
function findProviderMirror(cacheFile: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.OVERFIT_TF_PROVIDER_MIRROR)
    return isMirror(env.OVERFIT_TF_PROVIDER_MIRROR) ? env.OVERFIT_TF_PROVIDER_MIRROR : null;
  if (existsSync(cacheFile)) {
    const cached = readFileSync(cacheFile, 'utf8').trim();
    if (cached && isMirror(cached)) return cached;
  }
  const found = searchProviderMirror();
  if (found) {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, `${found}\n`);
  }
  return found;
}

/** Binary and mirror, or the reason they are not usable here. */
export function findTerraformTools(cacheFile: string): TerraformTools | { missing: string } {
  const binary = findTerraformBinary();
  if (!binary) return { missing: 'no terraform binary on PATH' };
  const mirror = findProviderMirror(cacheFile);
  if (!mirror)
    return {
      missing: `no filesystem mirror of hashicorp/aws under ${MIRROR_ROOTS.join(', ')} (set OVERFIT_TF_PROVIDER_MIRROR)`,
    };
  return { binary, mirror };
}

/** A CLI config that installs hashicorp/aws from the mirror only, and nothing from the network. */
function cliConfig(mirror: string): string {
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

interface TerraformResult {
  status: number;
  output: string;
}

export interface TerraformWorkspace {
  /** The copy's infrastructure/terraform. */
  dir: string;
  /** Runs `terraform <args>` in `cwd` (default: the copy's infrastructure/terraform); never throws. */
  run(args: string[], cwd?: string): TerraformResult;
  /** The same without blocking, so several commands can run at once; never rejects. */
  runAsync(args: string[], cwd?: string): Promise<TerraformResult>;
  /**
   * From now on, every command uses one running hashicorp/aws plugin (the one `init` installed) instead of starting
   * its own; call after `init`, which must still install and verify the provider itself.
   */
  shareProvider(): Promise<void>;
  dispose(): void;
}

/** The pipeline's functions: a placeholder zip each, which is all plan-time filebase64sha256() reads. */
const FUNCTIONS = ['generate', 'backtest', 'select', 'validate', 'visualize', 'finalize'];

/**
 * A temporary copy of the repository's layout as the configuration sees it: infrastructure/terraform, the ASL
 * it templates, and dist/lambda/<function>.zip placeholders; plus a CLI config and a TF_DATA_DIR of its own.
 */
export function terraformWorkspace(repository: string, tools: TerraformTools): TerraformWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'overfit-terraform-'));
  const dir = join(root, 'repo/infrastructure/terraform');
  cpSync(join(repository, 'infrastructure/terraform'), dir, {
    recursive: true,
    filter: (source) =>
      !/[\\/](\.terraform|terraform\.tfstate[^\\/]*|[^\\/]*\.tfvars)$/.test(source) || source.endsWith('.auto.tfvars'),
  });
  const asl = join(root, 'repo/packages/pipeline/src/state-machine.asl.json');
  mkdirSync(dirname(asl), { recursive: true });
  cpSync(join(repository, 'packages/pipeline/src/state-machine.asl.json'), asl);
  const zips = join(root, 'repo/dist/lambda');
  mkdirSync(zips, { recursive: true });
  for (const name of FUNCTIONS) writeFileSync(join(zips, `${name}.zip`), `placeholder for ${name}\n`);
  writeFileSync(join(root, 'terraform.rc'), cliConfig(tools.mirror));
  const env: NodeJS.ProcessEnv & { TF_DATA_DIR: string } = {
    ...process.env,
    TF_CLI_CONFIG_FILE: join(root, 'terraform.rc'),
    TF_DATA_DIR: join(root, 'data'),
    TF_IN_AUTOMATION: 'true',
    TF_INPUT: 'false',
    CHECKPOINT_DISABLE: '1',
    TF_PLUGIN_CACHE_DIR: '',
  };
  for (const key of Object.keys(env)) if (key.startsWith('TF_VAR_')) delete env[key as keyof typeof env];
  let provider: ChildProcess | undefined;
  return {
    dir,
    run(args, cwd = dir) {
      const result = spawnSync(tools.binary, [...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return {
        status: result.status ?? 1,
        output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`,
      };
    },
    runAsync: (args, cwd = dir) =>
      new Promise((done) => {
        execFile(tools.binary, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
          const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          const failure = error && typeof error.code !== 'number' ? String(error) : '';
          done({ status, output: `${out ?? ''}${err ?? ''}${failure}` });
        });
      }),
    async shareProvider() {
      if (provider) return;
      const started = await startProviderServer(
        join(env.TF_DATA_DIR, 'providers', ...PROVIDER_PATH),
        join(root, 'provider.log'),
      );
      provider = started.child;
      env.TF_REATTACH_PROVIDERS = started.reattach;
    },
    dispose: () => {
      provider?.kill();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The installed provider plugin (the one below `installed`), started as a server that terraform commands attach to
 * through TF_REATTACH_PROVIDERS: its `-debug` mode, which prints that variable's value and then serves until it is
 * killed. Every terraform command otherwise starts the plugin afresh, and `terraform test` starts it several times
 * per run block (54 starts for the two test files, about half a CPU-second each); attached, the whole suite costs
 * 16 CPU-seconds instead of 36. The plugin is the same binary at the same version; only its process is shared.
 * Its output goes to `log`, a file: a pipe would fill up while `run` blocks this process, and the plugin with it.
 */
async function startProviderServer(installed: string, log: string): Promise<{ child: ChildProcess; reattach: string }> {
  const plugin = findPlugin(installed);
  if (!plugin) throw new Error(`no terraform-provider-aws below ${installed}: run init first`);
  const out = openSync(log, 'w');
  const child = spawn(plugin, ['-debug'], { stdio: ['ignore', out, out] });
  closeSync(out);
  // jest may end this process without a dispose (a test timing out, --forceExit): the plugin goes with it.
  process.once('exit', () => child.kill());
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  for (;;) {
    const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(readFileSync(log, 'utf8'))?.[1];
    if (reattach) return { child, reattach };
    if (exited !== undefined)
      throw new Error(`${plugin} -debug exited ${exited} before serving:\n${readFileSync(log)}`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
}

/** The terraform-provider-aws executable somewhere below `dir` (<version>/<os_arch>/terraform-provider-aws_…). */
function findPlugin(dir: string): string | null {
  if (!existsSync(dir)) return null;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    // statSync follows links: init links <os_arch> to an unpacked mirror instead of copying it.
    if (statSync(path).isDirectory()) {
      const found = findPlugin(path);
      if (found) return found;
    } else if (name.startsWith('terraform-provider-aws')) return path;
  }
  return null;
}

/** `terraform version` of the binary, e.g. "1.11.4". */
export const terraformVersion = (binary: string): string =>
  JSON.parse(
    execFileSync(binary, ['version', '-json'], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
    }),
  ).terraform_version;
