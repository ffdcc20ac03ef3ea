// What the other parts of the project expect from the infrastructure: the Lambdas' environment and runtime, the
// dashboard container's environment, user, port and health check, and the settings the issue asks for by name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TerraformModule } from '../src/terraformModel';
import { PATHS, REPOSITORY, repositoryConfig } from './helpers';

const moduleNamed = async (label: string): Promise<TerraformModule> =>
  [...(await repositoryConfig()).modules.values()].find((m) => m.label === label)!;
const resource = (m: TerraformModule, type: string, name: string) =>
  m.resources.find((r) => r.type === type && r.name === name)!.body;

test('each Lambda gets the environment the handlers read, on nodejs22.x', async () => {
  const lambda = await moduleNamed('modules/lambda');
  const stage = resource(lambda, 'aws_lambda_function', 'stage');
  expect(stage.environment[0].variables).toEqual({
    USE_S3: 'true',
    S3_BUCKET: '${var.bucket_name}',
    POWERTOOLS_SERVICE_NAME: 'overfitting-lab',
    POWERTOOLS_METRICS_NAMESPACE: 'OverfittingLab',
    POWERTOOLS_LOG_LEVEL: '${var.log_level}',
    NODE_OPTIONS: '--enable-source-maps',
  });
  expect(lambda.variables.runtime.default).toBe('nodejs22.x');
});

test('the dashboard container: env, trigger token from SSM, user 1000, read-only root, port 3000, /healthz', async () => {
  const ecs = await moduleNamed('modules/ecs');
  const container = String(resource(ecs, 'aws_ecs_task_definition', 'dashboard').container_definitions);
  for (const name of ['USE_S3', 'S3_BUCKET', 'STATE_MACHINE_ARN', 'PORT'])
    expect(container).toMatch(new RegExp(`name = "${name}"`));
  expect(container).toMatch(/\{ name = "RUN_TRIGGER_TOKEN", valueFrom = local\.run_trigger_token_arn \}/);
  // The secret is named, never created: no resource in the configuration holds the token's value.
  const everyResource = [...(await repositoryConfig()).modules.values()].flatMap((m) => m.resources.map((r) => r.type));
  expect(everyResource.filter((type) => type === 'aws_ssm_parameter' || type.startsWith('random_'))).toEqual([]);
  expect(container).toMatch(/user\s+= "1000:1000"/);
  expect(container).toMatch(/readonlyRootFilesystem\s+= true/);
  expect(container).toMatch(/\/healthz/);
  expect(ecs.variables.app_port.default).toBe(3000);
  const root = (await repositoryConfig()).modules.get(PATHS.terraform)!;
  expect(root.locals.app_port).toBe(3000);
  expect(readFileSync(join(REPOSITORY, 'apps/dashboard/Dockerfile'), 'utf8')).toMatch(/PORT=3000/);
  expect(resource(ecs, 'aws_ecs_cluster', 'this').setting[0]).toEqual({ name: 'containerInsights', value: 'enabled' });
  expect([ecs.variables.cpu.default, ecs.variables.memory.default]).toEqual([512, 1024]);
});

test('the load balancer checks /healthz and redirects HTTP to HTTPS when given a certificate', async () => {
  const alb = await moduleNamed('modules/alb');
  expect(resource(alb, 'aws_lb_target_group', 'app').health_check[0].path).toBe('/healthz');
  const http = resource(alb, 'aws_lb_listener', 'http').default_action[0];
  expect(http.type).toBe('${local.https ? "redirect" : "forward"}');
  expect(http.dynamic.redirect[0].content[0]).toEqual({ port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' });
});

test('ECR scans on push and expires old images; the network is 10.0.0.0/16 with an S3 gateway endpoint', async () => {
  const ecr = await moduleNamed('modules/ecr');
  expect(resource(ecr, 'aws_ecr_repository', 'dashboard').image_scanning_configuration[0].scan_on_push).toBe(true);
  expect(resource(ecr, 'aws_ecr_lifecycle_policy', 'dashboard').policy).toMatch(/expire/);
  const network = await moduleNamed('modules/network');
  expect(network.variables.vpc_cidr.default).toBe('10.0.0.0/16');
  expect(network.variables.availability_zone_count.default).toBe(2);
  expect(resource(network, 'aws_vpc_endpoint', 's3').vpc_endpoint_type).toBe('Gateway');
});

test('the state machine role may invoke only the pipeline functions', async () => {
  const sfn = await moduleNamed('modules/step_functions');
  const invoke = sfn.data
    .find((d) => d.name === 'state_machine')!
    .body.statement.find((s: any) => s.sid === 'InvokePipelineFunctions');
  expect(invoke.actions).toEqual(['lambda:InvokeFunction']);
  expect(invoke.resources).toBe(
    '${concat(values(var.function_arns), [for arn in values(var.function_arns) : "${arn}:*"])}',
  );
});

test('old runs move to Glacier (Instant Retrieval, still readable by the dashboard)', async () => {
  const s3 = await moduleNamed('modules/s3');
  const rule = resource(s3, 'aws_s3_bucket_lifecycle_configuration', 'artifacts').rule.find(
    (r: any) => r.id === 'old-runs-to-glacier',
  );
  expect(rule.filter[0].prefix).toBe('runs/');
  expect(rule.transition[0].storage_class).toBe('GLACIER_IR');
});

test('the dashboard task role allows every Step Functions call the dashboard makes, and no other', async () => {
  // The dashboard starts and follows runs through @overfit/pipeline's cloudRuns.ts: each SDK command it sends
  // (StartExecutionCommand → states:StartExecution) must be granted, or run status answers 500 in AWS only.
  const source = readFileSync(join(REPOSITORY, 'packages/pipeline/src/cloudRuns.ts'), 'utf8');
  const used = [...new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => `states:${m[1]}`))].sort();
  const ecs = await moduleNamed('modules/ecs');
  const statements = ecs.data
    .filter((d) => d.type === 'aws_iam_policy_document')
    .flatMap((d) => d.body.statement ?? []);
  const granted = statements
    .flatMap((s: { actions: string[] }) => s.actions)
    .filter((a: string) => a.startsWith('states:'))
    .sort();
  expect(used.length).toBeGreaterThan(0);
  expect(granted).toEqual(used);
});

test('the dashboard service starts only once its roles may pull the image and read the token', async () => {
  // terraform test cannot see dependencies; without these the first tasks can start before the policies exist.
  const ecs = await moduleNamed('modules/ecs');
  expect(resource(ecs, 'aws_ecs_service', 'dashboard').depends_on).toEqual(['${module.role}']);
  expect(Object.keys(ecs.moduleCalls.role.for_each)).toEqual(['execution', 'task']);
  // Depending on a module waits for all of it: the role and, in the same module, its policy.
  const role = await moduleNamed('modules/service_role');
  expect(resource(role, 'aws_iam_role_policy', 'this').role).toBe('${aws_iam_role.this.id}');
});
