// `terraform validate` without terraform: references resolve and module calls match the modules' variables.
import { referenceProblems } from '../src/terraformChecks';
import { loadEditedCopy, repositoryConfig } from './helpers';

test('every var., local., module., data. and resource reference resolves; module arguments match variables', async () => {
  expect(await referenceProblems(await repositoryConfig())).toEqual([]);
});

test('negative: each kind of broken reference is reported', async () => {
  const config = await loadEditedCopy([
    { file: 'modules/s3/main.tf', from: 'force_destroy = var.force_destroy', to: 'force_destroy = var.force_destroi' },
    { file: 'modules/network/main.tf', from: 'availability_zone = local.zones[count.index]\n  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index)', to: 'availability_zone = local.zone[count.index]\n  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index)' },
    { file: 'modules/alb/main.tf', from: 'load_balancer_arn = aws_lb.this.arn\n  port              = 80', to: 'load_balancer_arn = aws_lb.that.arn\n  port              = 80' },
    { file: 'modules/ecs/main.tf', from: 'assume_role_policy = data.aws_iam_policy_document.assume_tasks.json\n}\n\ndata "aws_iam_policy_document" "execution"', to: 'assume_role_policy = data.aws_iam_policy_document.assume_task.json\n}\n\ndata "aws_iam_policy_document" "execution"' },
    { file: 'outputs.tf', from: 'module.s3.bucket_name', to: 'module.s3.bucket' },
    { file: 'outputs.tf', from: 'module.alb.url', to: 'module.load_balancer.url' },
  ]);
  expect((await referenceProblems(config)).sort()).toEqual([
    '.: output.dashboard_url.value: undeclared module.load_balancer',
    '.: output.s3_bucket_name.value: module.s3 has no output "bucket"',
    'modules/alb: resource.aws_lb_listener.http: undeclared resource aws_lb.that',
    'modules/ecs: resource.aws_iam_role.execution: undeclared data.aws_iam_policy_document.assume_task',
    'modules/network: resource.aws_subnet.public: undeclared local.zone',
    'modules/s3: resource.aws_s3_bucket.artifacts: undeclared var.force_destroi',
  ]);
});

test('negative: an unknown module argument and a missing required variable', async () => {
  const config = await loadEditedCopy([
    { file: 'main.tf', from: '  enable_nat_gateway = var.enable_nat_gateway\n', to: '  enable_nat_gateway = var.enable_nat_gateway\n  nat_gateways       = 2\n' },
    { file: 'main.tf', from: '  github_repository = var.github_repository\n', to: '' },
  ]);
  expect((await referenceProblems(config)).sort()).toEqual([
    '.: module.iam: missing required variable "github_repository"',
    '.: module.network: unknown argument "nat_gateways"',
  ]);
});
