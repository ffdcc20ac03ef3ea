// The security claims of the design, checked on the configuration: the artifact and state buckets are encrypted,
// versioned, private and TLS-only; IAM grants no wildcard outside the documented allow-list; the dashboard tasks
// admit only the load balancer; every log group has a retention. The GitHub roles' trust, the runtime and the
// other properties Terraform can evaluate are asserted by terraform test (terraform/tests/*.tftest.hcl).
import {
  bucketProblems,
  ecsIngressProblems,
  iamProblems,
  loadAllowList,
  logRetentionProblems,
} from '../src/securityChecks';
import { policyStatements } from '../src/terraformQueries';
import { loadEditedCopy, PATHS, repositoryConfig } from './helpers';

const allowList = loadAllowList(PATHS.allowList);

describe('buckets', () => {
  test('both buckets (artifacts, Terraform state) are versioned, encrypted, private and TLS-only', async () => {
    const config = await repositoryConfig();
    const buckets = [...config.modules.values()].flatMap((m) =>
      m.resources.filter((r) => r.type === 'aws_s3_bucket').map((r) => `${m.label}:${r.name}`),
    );
    expect(buckets.sort()).toEqual(['bootstrap:state', 'modules/s3:artifacts']);
    expect(bucketProblems(config)).toEqual([]);
  });

  test('negative: the shared hardening with versioning suspended, no encryption, a public access setting off, HTTP allowed', async () => {
    const hardening = 'modules/bucket_hardening/main.tf';
    const config = await loadEditedCopy([
      { file: hardening, from: 'status = "Enabled"', to: 'status = "Suspended"' },
      { file: hardening, from: 'sse_algorithm = "AES256"', to: 'sse_algorithm = "none"' },
      { file: hardening, from: 'restrict_public_buckets = true', to: 'restrict_public_buckets = false' },
      { file: hardening, from: 'values   = ["false"]', to: 'values   = ["true"]' },
    ]);
    const problems = ['versioning not Enabled', 'no server-side encryption', 'public access not fully blocked'];
    expect(bucketProblems(config).sort()).toEqual(
      ['bootstrap: aws_s3_bucket.state', 'modules/s3: aws_s3_bucket.artifacts'].flatMap((bucket) =>
        [...problems, 'no bucket policy denying requests without TLS'].sort().map((problem) => `${bucket}: ${problem}`),
      ),
    );
  });

  test('negative: the hardening module given another bucket hardens that one, not the state bucket', async () => {
    const config = await loadEditedCopy([
      { file: 'bootstrap/main.tf', from: 'bucket     = aws_s3_bucket.state.id', to: 'bucket     = "another-bucket"' },
      {
        file: 'bootstrap/main.tf',
        from: 'bucket_arn = aws_s3_bucket.state.arn',
        to: 'bucket_arn = "arn:aws:s3:::another"',
      },
    ]);
    expect(bucketProblems(config).sort()).toEqual([
      'bootstrap: aws_s3_bucket.state: no bucket policy denying requests without TLS',
      'bootstrap: aws_s3_bucket.state: no server-side encryption',
      'bootstrap: aws_s3_bucket.state: public access not fully blocked',
      'bootstrap: aws_s3_bucket.state: versioning not Enabled',
    ]);
  });
});

describe('IAM', () => {
  test('every policy is a policy document; no action "*"; resource "*" only for allow-listed actions', async () => {
    expect(iamProblems(await repositoryConfig(), allowList)).toEqual([]);
  });

  test('every allow-list entry is used and says why', async () => {
    const config = await repositoryConfig();
    const wildcardActions = new Set(
      [...config.modules.values()].flatMap((m) =>
        m.data
          .filter((d) => d.type === 'aws_iam_policy_document')
          .flatMap((d) => policyStatements(m, d).statements)
          .filter((s) => (s.resources ?? []).includes('*'))
          .flatMap((s) => s.actions),
      ),
    );
    expect(Object.keys(allowList.actionsOnAnyResource).filter((action) => !wildcardActions.has(action))).toEqual([]);
    for (const reason of [
      ...Object.values(allowList.actionsOnAnyResource),
      ...Object.values(allowList.managedPolicies),
    ])
      expect(reason.length).toBeGreaterThan(10);
  });

  test('the Lambda roles reach only their bucket prefixes: finalize alone writes latest.json and deletes shards, none reads latest', async () => {
    const root = (await repositoryConfig()).modules.get(PATHS.terraform)!;
    const functions = root.locals.functions as Record<string, { read_prefixes: string[]; write_prefixes: string[] }>;
    for (const [name, access] of Object.entries(functions)) {
      expect(access.read_prefixes.every((p) => ['data/*', 'runs/*'].includes(p))).toBe(true);
      expect(access.write_prefixes).toEqual(name === 'finalize' ? ['runs/*', 'latest.json'] : ['runs/*']);
      expect(access.read_prefixes).toContain('data/*'); // finalize too: the manifest describes the run's data
      expect((access as { delete_prefixes?: string[] }).delete_prefixes).toEqual(
        name === 'finalize' ? ['runs/*/shards/*'] : [],
      );
    }
  });

  test('negative: action "*", an unlisted action on "*", a jsonencode policy, an unlisted managed policy', async () => {
    const config = await loadEditedCopy([
      { file: 'modules/lambda/main.tf', from: 'actions   = ["s3:GetObject"]', to: 'actions   = ["*"]' },
      {
        file: 'modules/ecs/main.tf',
        from: 'actions   = ["s3:ListBucket"]\n    resources = [var.bucket_arn]',
        to: 'actions   = ["s3:ListBucket"]\n    resources = ["*"]',
      },
      {
        file: 'modules/ecs/main.tf',
        from: 'policy = data.aws_iam_policy_document.task.json }',
        to: 'policy = jsonencode({ Statement = [] }) }',
      },
      { file: 'modules/iam/main.tf', from: 'policy/ReadOnlyAccess"', to: 'policy/AdministratorAccess"' },
      {
        file: 'modules/iam/main.tf',
        from: 'policy   = data.aws_iam_policy_document.github[each.key].json',
        to: 'policy   = jsonencode({ Statement = [] })',
      },
      // The GitHub roles' statements are entries of a local map, expanded by a dynamic block: read there too.
      {
        file: 'modules/iam/main.tf',
        from: 'ProjectBuckets      = { actions = ["s3:*"]',
        to: 'ProjectBuckets = { actions = ["*"]',
      },
      {
        file: 'modules/iam/main.tf',
        from: 'RollService     = { actions = ["ecs:UpdateService", "ecs:DescribeServices"], resources = [local.service_arn] }',
        to: 'RollService = { actions = ["ecs:UpdateService"], resources = ["*"] }',
      },
      // A dynamic statement over something this check cannot read is reported, not passed.
      { file: 'modules/lambda/main.tf', from: 'actions   = ["s3:DeleteObject"]', to: 'actions   = statement.value' },
    ]);
    expect(iamProblems(config, allowList).sort()).toEqual([
      'modules/ecs: data.aws_iam_policy_document.task ListArtifacts: s3:ListBucket on resource "*" is not in the allow-list',
      'modules/ecs: module.role: aws_iam_role_policy.this: policy is not an aws_iam_policy_document',
      'modules/iam: aws_iam_role_policy.github: policy is not an aws_iam_policy_document',
      'modules/iam: aws_iam_role_policy_attachment.plan_read_only: managed policy arn:aws:iam::aws:policy/AdministratorAccess is not in the allow-list',
      'modules/iam: data.aws_iam_policy_document.github ProjectBuckets: action "*"',
      'modules/iam: data.aws_iam_policy_document.github RollService: ecs:UpdateService on resource "*" is not in the allow-list',
      'modules/lambda: data.aws_iam_policy_document.function ReadStageInputs: action "*"',
      'modules/lambda: data.aws_iam_policy_document.function: dynamic statements cannot be checked',
    ]);
  });
});

describe('dashboard ingress', () => {
  test('the tasks admit only the load balancer security group, on the app port', async () => {
    const config = await repositoryConfig();
    expect(ecsIngressProblems(config)).toEqual([]);
    const ecs = [...config.modules.values()].find((m) => m.label === 'modules/ecs')!;
    const rules = ecs.resources.filter((r) => r.type === 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => [r.body.from_port, r.body.to_port])).toEqual([['${var.app_port}', '${var.app_port}']]);
  });

  test('negative: an address range, an inline ingress block, a source that is not the load balancer', async () => {
    const cidr = await loadEditedCopy([
      {
        file: 'modules/ecs/main.tf',
        from: '  referenced_security_group_id = var.alb_security_group_id\n',
        to: '  referenced_security_group_id = var.alb_security_group_id\n  cidr_ipv4                    = "0.0.0.0/0"\n',
      },
      {
        file: 'modules/ecs/main.tf',
        from: '  vpc_id      = var.vpc_id\n}',
        to: '  vpc_id      = var.vpc_id\n\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}',
      },
    ]);
    expect(ecsIngressProblems(cidr)).toEqual([
      'modules/ecs: aws_security_group.tasks: inline ingress rules',
      'modules/ecs: aws_security_group.tasks: aws_vpc_security_group_ingress_rule.from_alb admits an address range',
    ]);
    const wrongSource = await loadEditedCopy([
      {
        file: 'main.tf',
        from: 'alb_security_group_id = module.alb.security_group_id',
        to: 'alb_security_group_id = module.network.vpc_id',
      },
    ]);
    expect(ecsIngressProblems(wrongSource)).toEqual([
      "modules/ecs: aws_security_group.tasks: aws_vpc_security_group_ingress_rule.from_alb admits ${var.alb_security_group_id}, not the load balancer's security group",
    ]);
  });
});

describe('logs and runtimes', () => {
  test('every log group has a retention; Lambdas and the state machine log to managed groups', async () => {
    expect(logRetentionProblems(await repositoryConfig())).toEqual([]);
  });

  test('negative: a log group without retention, a Lambda logging elsewhere', async () => {
    const config = await loadEditedCopy([
      { file: 'modules/ecs/main.tf', from: '  retention_in_days = var.log_retention_days\n', to: '' },
      {
        file: 'modules/lambda/main.tf',
        from: 'log_group  = aws_cloudwatch_log_group.function[each.key].name',
        to: 'log_group  = "/aws/lambda/elsewhere"',
      },
    ]);
    expect(logRetentionProblems(config)).toEqual([
      'modules/ecs: aws_cloudwatch_log_group.dashboard: no retention_in_days',
      'modules/lambda: aws_lambda_function.stage: logs to a group Terraform does not manage',
    ]);
  });
});
