// The static checks of the Terraform configuration that Terraform itself has no notion of: module layout and
// documentation, and contracts with the build. Policies across files (wildcards, bucket hardening, who may reach the
// tasks, log retention) are in securityChecks.ts; formatting, references, placeholders and validations are checked by
// the real terraform (test/terraform.e2e.test.ts). Every check returns a list of problems ("module: what is wrong");
// empty means passed.
import { basename, join, resolve } from 'node:path';
import { calledModule, rootModule, type TerraformConfig } from './terraformModel';
import { ofType } from './terraformQueries';

const STANDARD_FILES = ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf'];

/** Every module has the standard files; variables are typed and documented, outputs documented, versions pinned. */
export function structureProblems(config: TerraformConfig): string[] {
  const problems: string[] = [];
  for (const m of config.modules.values()) {
    const names = m.files.map((file) => basename(file));
    for (const file of STANDARD_FILES) if (!names.includes(file)) problems.push(`${m.label}: no ${file}`);
    for (const [name, variable] of Object.entries(m.variables)) {
      if (variable.type === undefined) problems.push(`${m.label}: variable "${name}" has no type`);
      if (!variable.description) problems.push(`${m.label}: variable "${name}" has no description`);
    }
    for (const [name, output] of Object.entries(m.outputs))
      if (!output.description) problems.push(`${m.label}: output "${name}" has no description`);
    const terraform = Object.assign({}, ...(m.json.terraform ?? []));
    if (!terraform.required_version) problems.push(`${m.label}: no required_version`);
    const providers = Object.assign({}, ...(terraform.required_providers ?? []));
    if (Object.keys(providers).length === 0) problems.push(`${m.label}: no required_providers`);
    for (const [name, provider] of Object.entries<any>(providers))
      if (!provider.version) problems.push(`${m.label}: provider ${name} has no version constraint`);
  }
  return problems;
}

/** The pipeline's function names: the keys of the root's `local.functions`, the one list of them. */
export function pipelineFunctionNames(config: TerraformConfig): string[] {
  const functions = rootModule(config).locals.functions;
  if (!functions || typeof functions !== 'object') throw new Error('the root module has no local.functions map');
  return Object.keys(functions).sort();
}

/**
 * The Lambda functions match the build: handler index.handler, x86_64, one zip per pipeline function in the
 * folder the build writes (`distDir`), and the same function names as the build's list.
 */
export function lambdaBuildProblems(config: TerraformConfig, distDir: string, builtFunctions: string[]): string[] {
  const problems: string[] = [];
  const names = pipelineFunctionNames(config);
  const built = [...builtFunctions].sort();
  if (names.join() !== built.join())
    problems.push(`.: local.functions (${names.join(', ')}) differs from the build's functions (${built.join(', ')})`);
  for (const m of config.modules.values()) {
    for (const [name, call] of Object.entries(m.moduleCalls)) {
      const callee = calledModule(config, m, call);
      if (!callee || ofType(callee, 'aws_lambda_function').length === 0) continue;
      const dir =
        typeof call.artifacts_dir === 'string'
          ? resolve(call.artifacts_dir.replace('${path.root}', config.root).replace('${path.module}', m.dir))
          : '';
      if (dir !== resolve(distDir))
        problems.push(`${m.label}: module.${name}: artifacts_dir ${call.artifacts_dir} is not the build's ${distDir}`);
    }
    for (const fn of ofType(m, 'aws_lambda_function')) {
      const id = `${m.label}: ${fn.type}.${fn.name}`;
      if (fn.body.handler !== 'index.handler') problems.push(`${id}: handler ${fn.body.handler} is not index.handler`);
      if (JSON.stringify(fn.body.architectures) !== '["x86_64"]')
        problems.push(`${id}: architectures is not ["x86_64"]`);
      if (!/^\$\{var\.\w+\}\/\$\{each\.key\}\.zip$/.test(fn.body.filename ?? ''))
        problems.push(`${id}: filename ${fn.body.filename} is not <artifacts_dir>/<function>.zip`);
    }
  }
  return problems;
}

/** The function names of tools/build-lambdas.mjs: the top-level keys of its `const FUNCTIONS = { … }`. */
export function buildScriptFunctions(script: string): string[] {
  const body = /^const FUNCTIONS = \{\n([\s\S]*?)^\};/m.exec(script);
  if (!body) throw new Error('the build script has no `const FUNCTIONS = { … };` block');
  return [...body[1].matchAll(/^ {2}(\w+): \{/gm)].map((match) => match[1]).sort();
}

/** The configuration's own folder layout: where the build output lands relative to the repository root. */
export const repositoryPaths = (repositoryRoot: string) => ({
  terraform: join(repositoryRoot, 'infrastructure/terraform'),
  allowList: join(repositoryRoot, 'infrastructure/iam-wildcard-allowlist.json'),
  lambdaDist: join(repositoryRoot, 'dist/lambda'),
  lambdaBuildScript: join(repositoryRoot, 'tools/build-lambdas.mjs'),
  stateMachine: join(repositoryRoot, 'packages/pipeline/src/state-machine.asl.json'),
});
