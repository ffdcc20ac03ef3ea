// The real terraform on a copy of the configuration, offline: fmt, init from the provider mirror, validate, and
// `terraform test` (infrastructure/terraform/tests/*.tftest.hcl: plan and apply runs against a mocked AWS
// provider, with the security properties asserted on planned and applied values). Without the binary or the
// mirror the tests say so and skip on a development machine; under CI=true they fail, because a CI that
// silently skipped them would prove nothing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findTerraformTools, terraformVersion, terraformWorkspace, type TerraformWorkspace } from '../src/terraformCli';
import { REPOSITORY } from './helpers';

// terraform init, validate and test each start the provider plugin, several times for `test`: seconds each on a
// quiet machine, and CI machines may be loaded. Generous limits, so no result depends on the machine's speed.
const INIT_MS = 5 * 60_000;
const TEST_MS = 15 * 60_000;

const tools = findTerraformTools(join(REPOSITORY, 'node_modules/.cache/overfit/terraform-provider-mirror'));
const available = !('missing' in tools);
if (!available) {
  const message = `terraform tests: ${tools.missing}`;
  if (process.env.CI === 'true') {
    test('terraform and its provider mirror are available (required under CI=true)', () => {
      throw new Error(`${message}. CI must run the real terraform checks.`);
    });
  } else {
    // eslint-disable-next-line no-console -- the one line that says why a whole suite is skipped
    console.warn(`${message}: skipping (CI=true would fail instead).`);
  }
}
const describeWithTerraform = available ? describe : describe.skip;

describeWithTerraform('terraform', () => {
  let workspace: TerraformWorkspace;
  beforeAll(() => {
    if ('missing' in tools) return;
    workspace = terraformWorkspace(REPOSITORY, tools);
  });
  afterAll(() => workspace?.dispose());

  const ok = (args: string[], cwd?: string): string => {
    const { status, output } = workspace.run(args, cwd);
    if (status !== 0) throw new Error(`terraform ${args.join(' ')} exited ${status}:\n${output}`);
    return output;
  };

  test('is 1.11 or newer (S3-native state locking, terraform test with mock providers)', () => {
    if ('missing' in tools) return;
    const [major, minor] = terraformVersion(tools.binary).split('.').map(Number);
    expect(major > 1 || (major === 1 && minor >= 11)).toBe(true);
  });

  test(
    'fmt -check -recursive: every .tf, .tfvars and .tftest.hcl file is formatted',
    () => {
      expect(ok(['fmt', '-check', '-recursive', '-diff', '-no-color'])).toBe('');
    },
    INIT_MS,
  );

  test(
    'init installs hashicorp/aws from the mirror, matching the committed lock file',
    () => {
      // -lockfile=readonly: a provider or version the lock file does not list fails instead of rewriting it.
      expect(ok(['init', '-backend=false', '-lockfile=readonly', '-no-color'])).toMatch(
        /Installed hashicorp\/aws v5\.100\.0|Using previously-installed hashicorp\/aws v5\.100\.0/,
      );
      expect(ok(['-chdir=bootstrap', 'init', '-backend=false', '-lockfile=readonly', '-no-color'])).toMatch(
        /hashicorp\/aws v5\.100\.0/,
      );
    },
    INIT_MS,
  );

  test(
    'validate: the root configuration and the bootstrap',
    async () => {
      // From here on, one running provider plugin serves every command (terraformCli.ts, shareProvider).
      await workspace.shareProvider();
      // -no-tests: `terraform validate` would also validate each module the test files run (seven walks, each
      // starting the provider, instead of one); `terraform test` below validates every run's configuration itself.
      expect(ok(['validate', '-no-tests', '-no-color'])).toMatch(/Success! The configuration is valid/);
      expect(ok(['-chdir=bootstrap', 'validate', '-no-color'])).toMatch(/Success! The configuration is valid/);
    },
    INIT_MS,
  );

  test(
    'terraform test: every plan and apply run passes, the negative ones by failing where they must',
    async () => {
      await workspace.shareProvider();
      // One `terraform test` per test file, at once: each is a long chain of provider starts on one core, and this
      // file is among the last Nx starts, when the other core is often free.
      const files = readdirSync(join(workspace.dir, 'tests')).filter((name) => name.endsWith('.tftest.hcl'));
      expect(files.length).toBeGreaterThanOrEqual(2);
      const results = await Promise.all(
        files.map((file) => workspace.runAsync(['test', `-filter=tests/${file}`, '-no-color'])),
      );
      for (const [i, { status, output }] of results.entries()) {
        expect({ file: files[i], status, output }).toMatchObject({ file: files[i], status: 0 });
        expect(output).toMatch(/Success! \d+ passed, 0 failed\./);
      }
      const output = results.map((r) => r.output).join('\n');
      const runs = [...output.matchAll(/run "([\w-]+)"\.\.\. (pass|fail|skip)/g)].map((m) => [m[1], m[2]]);
      expect(runs.filter(([, result]) => result !== 'pass')).toEqual([]);
      expect(runs.length).toBeGreaterThanOrEqual(8);
    },
    TEST_MS,
  );
});
