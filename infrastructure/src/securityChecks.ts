// The security checks of the Terraform configuration across files: IAM wildcards (only where the allow list says
// AWS leaves no narrower choice), bucket hardening, who may reach the ECS tasks, and bounded log retention. Each
// returns a list of problems ("module: what is wrong"); empty means passed.
import { readFileSync } from 'node:fs';
import { type Block, calledModule, type TerraformConfig, type TerraformModule } from './terraformModel';
import { asList, mentions, ofType, policyStatements, resolveVariable } from './terraformQueries';

/** The one place wildcards are allowed, each with the reason AWS leaves no narrower choice. */
export interface WildcardAllowList {
  actionsOnAnyResource: Record<string, string>;
  managedPolicies: Record<string, string>;
}

export function loadAllowList(file: string): WildcardAllowList {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Documents that grant nothing on their own, so resource "*" and service wildcards are what they must say: a KMS
 * key policy ("*" is the key itself) and a permissions boundary (a ceiling: a role gets only what both its own
 * policy and the boundary allow). Each is found by how it is used, not by its name.
 */
function ceilingDocuments(m: TerraformModule): Set<string> {
  const documentOf = (expression: unknown) => /data\.aws_iam_policy_document\.(\w+)/.exec(String(expression))?.[1];
  const names = new Set<string>();
  for (const key of ofType(m, 'aws_kms_key')) {
    const name = documentOf(key.body.policy);
    if (name) names.add(name);
  }
  const boundaries = new Set(
    m.resources
      .map((r) => /^\$\{aws_iam_policy\.(\w+)\.arn\}$/.exec(String(r.body.permissions_boundary))?.[1])
      .filter(Boolean),
  );
  for (const policy of ofType(m, 'aws_iam_policy'))
    if (boundaries.has(policy.name)) {
      const name = documentOf(policy.body.policy);
      if (name) names.add(name);
    }
  return names;
}

/** Resources whose `policy`/`assume_role_policy` is an IAM policy (an ECR lifecycle policy is not). */
const IAM_POLICY_HOLDERS = new Set([
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_role_policy_attachment',
  'aws_s3_bucket_policy',
  'aws_sns_topic_policy',
  'aws_sqs_queue_policy',
  'aws_ecr_repository_policy',
  'aws_kms_key',
  'aws_cloudwatch_log_resource_policy',
]);

const POLICY_DOCUMENT = /^\$\{data\.aws_iam_policy_document\.\w+(\[[^\]]+\])?\.json\}$/;
/**
 * Where `value` (an attribute in module `m`) is not a policy document's JSON: nowhere when it is one; when it is a
 * variable (a shared module attaching the policy its caller writes), the calls that set it to something else;
 * otherwise `m` itself.
 */
function notPolicyDocuments(config: TerraformConfig, m: TerraformModule, value: unknown): string[] {
  if (POLICY_DOCUMENT.test(String(value))) return [];
  const variable = /^\$\{var\.(\w+)\}$/.exec(String(value))?.[1];
  const calls = variable ? callsOf(config, m) : [];
  if (calls.length === 0) return [m.label];
  // A call with for_each over a map written in place may set the variable from each entry (`each.value.<field>`).
  const values = (call: Record<string, any>): unknown[] => {
    const field = /^\$\{each\.value\.(\w+)\}$/.exec(String(call[variable!]))?.[1];
    const entries = typeof call.for_each === 'object' ? Object.values<Record<string, unknown>>(call.for_each) : [];
    return field && entries.length > 0 ? entries.map((entry) => entry[field]) : [call[variable!]];
  };
  return calls
    .filter(({ call }) => !values(call).every((v) => POLICY_DOCUMENT.test(String(v))))
    .map(({ caller, name }) => `${caller.label}: module.${name}`);
}

/** Every call of module `m`: the module that makes it, the call's name and its arguments. */
function callsOf(config: TerraformConfig, m: TerraformModule) {
  return [...config.modules.values()].flatMap((caller) =>
    Object.entries(caller.moduleCalls)
      .filter(([, call]) => calledModule(config, caller, call) === m)
      .map(([name, call]) => ({ caller, name, call })),
  );
}

/**
 * IAM: every policy is an aws_iam_policy_document (so it can be read here); no Allow statement grants action "*";
 * resource "*" only with allow-listed actions; managed policies only from the allow-list.
 */
export function iamProblems(config: TerraformConfig, allowList: WildcardAllowList): string[] {
  const problems: string[] = [];
  for (const m of config.modules.values()) {
    const ceilings = ceilingDocuments(m);
    for (const document of m.data.filter((d) => d.type === 'aws_iam_policy_document')) {
      const id = `${m.label}: data.${document.type}.${document.name}`;
      if (ceilings.has(document.name)) continue;
      const { statements, unreadable } = policyStatements(m, document);
      if (unreadable) problems.push(`${id}: dynamic statements cannot be checked`);
      for (const statement of statements) {
        if ((statement.effect ?? 'Allow') !== 'Allow') continue;
        const what = `${id} ${statement.sid ?? ''}`.trimEnd();
        if (statement.not_actions || statement.not_resources)
          problems.push(`${what}: not_actions/not_resources allow everything else`);
        const actions = asList(statement.actions) as string[];
        if (actions.includes('*')) problems.push(`${what}: action "*"`);
        if (asList(statement.resources).includes('*')) {
          for (const action of actions)
            if (!(action in allowList.actionsOnAnyResource))
              problems.push(`${what}: ${action} on resource "*" is not in the allow-list`);
        }
      }
    }
    for (const resource of m.resources) {
      if (!IAM_POLICY_HOLDERS.has(resource.type)) continue;
      for (const attribute of ['policy', 'assume_role_policy']) {
        const value = resource.body[attribute];
        if (value === undefined) continue;
        for (const place of notPolicyDocuments(config, m, value))
          problems.push(`${place}: ${resource.type}.${resource.name}: ${attribute} is not an aws_iam_policy_document`);
      }
      if (resource.body.inline_policy)
        problems.push(`${m.label}: ${resource.type}.${resource.name}: inline_policy is not an aws_iam_policy_document`);
      if (
        resource.type === 'aws_iam_role_policy_attachment' &&
        !(resource.body.policy_arn in allowList.managedPolicies)
      ) {
        problems.push(
          `${m.label}: ${resource.type}.${resource.name}: managed policy ${resource.body.policy_arn} is not in the allow-list`,
        );
      }
    }
  }
  return problems;
}

/** A block that acts on a bucket: the module it is in, and the expressions that name the bucket there. */
interface Placed {
  m: TerraformModule;
  block: Block;
  names: string[];
}

/**
 * The blocks of `type` that act on what `reference` names: in the module itself, and in the modules it calls with
 * an argument that mentions it (there, through that variable: a shared module hardens the bucket it is given).
 */
function blocksAbout(config: TerraformConfig, m: TerraformModule, reference: string, type: string): Placed[] {
  const here = ofType(m, type)
    .filter((block) => mentions(block, reference))
    .map((block) => ({ m, block, names: [reference] }));
  const called = Object.values(m.moduleCalls).flatMap((call) => {
    const callee = calledModule(config, m, call);
    const names = Object.keys(call)
      .filter((name) => JSON.stringify(call[name]).includes(reference))
      .map((name) => `\${var.${name}}`);
    if (!callee || names.length === 0) return [];
    return ofType(callee, type)
      .filter((block) => names.some((name) => mentions(block, name)))
      .map((block) => ({ m: callee, block, names }));
  });
  return [...here, ...called];
}

/** Whether the policy denies every S3 action on the bucket's objects to requests without TLS. */
function deniesPlainHttp({ m, block, names }: Placed): boolean {
  const name = /aws_iam_policy_document\.(\w+)/.exec(block.body.policy ?? '')?.[1];
  const document = m.data.find((d) => d.type === 'aws_iam_policy_document' && d.name === name);
  return (document ? policyStatements(m, document).statements : []).some(
    (s) =>
      s.effect === 'Deny' &&
      asList(s.actions).includes('s3:*') &&
      asList(s.resources).some((r) => names.some((name) => String(r).startsWith(name)) && String(r).endsWith('/*')) &&
      asList(s.condition).some(
        (c: any) =>
          c.test === 'Bool' && c.variable === 'aws:SecureTransport' && JSON.stringify(c.values) === '["false"]',
      ),
  );
}

const BLOCK_PUBLIC = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** Every bucket: versioned, encrypted at rest, all public access blocked, and a policy denying plain HTTP. */
export function bucketProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const m of config.modules.values()) {
    for (const bucket of ofType(m, 'aws_s3_bucket')) {
      const id = `${m.label}: aws_s3_bucket.${bucket.name}`;
      const about = (type: string) =>
        blocksAbout(config, m, `\${aws_s3_bucket.${bucket.name}.`, type).map((placed) => placed.block);
      if (!about('aws_s3_bucket_versioning').some((v) => v.body.versioning_configuration?.[0]?.status === 'Enabled'))
        problems.push(`${id}: versioning not Enabled`);
      const encrypted = about('aws_s3_bucket_server_side_encryption_configuration').some((e) =>
        ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(
          e.body.rule?.[0]?.apply_server_side_encryption_by_default?.[0]?.sse_algorithm,
        ),
      );
      if (!encrypted) problems.push(`${id}: no server-side encryption`);
      if (!about('aws_s3_bucket_public_access_block').some((b) => BLOCK_PUBLIC.every((s) => b.body[s] === true)))
        problems.push(`${id}: public access not fully blocked`);
      if (!blocksAbout(config, m, `\${aws_s3_bucket.${bucket.name}.`, 'aws_s3_bucket_policy').some(deniesPlainHttp))
        problems.push(`${id}: no bucket policy denying requests without TLS`);
    }
  }
  return problems;
}

/**
 * The dashboard tasks admit traffic only from the load balancer: the service's security groups have no inline
 * ingress, every ingress rule on them names a source security group (no CIDR), and that group is the one the
 * load balancer uses.
 */
export function ecsIngressProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const m of config.modules.values()) {
    for (const service of ofType(m, 'aws_ecs_service')) {
      const groups = asList(service.body.network_configuration?.[0]?.security_groups).map(
        (g) => /aws_security_group\.(\w+)\.id/.exec(String(g))?.[1],
      );
      for (const group of groups) {
        const id = `${m.label}: aws_security_group.${group}`;
        const securityGroup = ofType(m, 'aws_security_group').find((g) => g.name === group);
        if (!securityGroup) {
          problems.push(`${m.label}: aws_ecs_service.${service.name}: a security group not declared in the module`);
          continue;
        }
        if (securityGroup.body.ingress) problems.push(`${id}: inline ingress rules`);
        const reference = `\${aws_security_group.${group}.id}`;
        const rules = [
          ...ofType(m, 'aws_vpc_security_group_ingress_rule'),
          ...ofType(m, 'aws_security_group_rule').filter((r) => r.body.type === 'ingress'),
        ].filter((rule) => rule.body.security_group_id === reference);
        for (const rule of rules) {
          const source = rule.body.referenced_security_group_id ?? rule.body.source_security_group_id;
          if (rule.body.cidr_ipv4 || rule.body.cidr_ipv6 || rule.body.cidr_blocks || rule.body.prefix_list_id)
            problems.push(`${id}: ${rule.type}.${rule.name} admits an address range`);
          if (!source) problems.push(`${id}: ${rule.type}.${rule.name} has no source security group`);
          else if (!isLoadBalancerGroup(config, m, source))
            problems.push(`${id}: ${rule.type}.${rule.name} admits ${source}, not the load balancer's security group`);
        }
      }
    }
  }
  return problems;
}

/** Whether `source` (an expression in module `m`) is, through the module calls, a security group of an aws_lb. */
function isLoadBalancerGroup(config: TerraformConfig, m: TerraformModule, source: string): boolean {
  const group = /^\$\{aws_security_group\.(\w+)\.id\}$/.exec(source)?.[1];
  if (group) return ofType(m, 'aws_lb').some((lb) => asList(lb.body.security_groups).includes(source));
  const variable = /^\$\{var\.(\w+)\}$/.exec(source)?.[1];
  if (!variable) return false;
  const callers = callsOf(config, m);
  return (
    callers.length > 0 &&
    callers.every(({ caller, call }) => {
      const output = /^\$\{module\.(\w+)\.(\w+)\}$/.exec(String(call[variable]));
      const producer =
        output && caller.moduleCalls[output[1]] && calledModule(config, caller, caller.moduleCalls[output[1]]);
      return !!producer && isLoadBalancerGroup(config, producer, String(producer.outputs[output[2]]?.value));
    })
  );
}

/** Every log group keeps its logs for a bounded time; every Lambda and state machine logs to a declared group. */
export function logRetentionProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const m of config.modules.values()) {
    for (const group of ofType(m, 'aws_cloudwatch_log_group')) {
      const days = resolveVariable(m, group.body.retention_in_days);
      if (!(typeof days === 'number' && days > 0))
        problems.push(`${m.label}: aws_cloudwatch_log_group.${group.name}: no retention_in_days`);
    }
    for (const fn of ofType(m, 'aws_lambda_function')) {
      if (!String(fn.body.logging_config?.[0]?.log_group).includes('${aws_cloudwatch_log_group.'))
        problems.push(`${m.label}: aws_lambda_function.${fn.name}: logs to a group Terraform does not manage`);
    }
    for (const machine of ofType(m, 'aws_sfn_state_machine')) {
      if (!String(machine.body.logging_configuration?.[0]?.log_destination).includes('${aws_cloudwatch_log_group.'))
        problems.push(`${m.label}: aws_sfn_state_machine.${machine.name}: no logging to a managed log group`);
    }
  }
  return problems;
}
