// Every .tf file parses (syntax errors are terraform validate's, in terraform.e2e.test.ts), and every module has the
// standard files, typed and documented variables, documented outputs and pinned versions.
import { rmSync } from 'node:fs';
import { structureProblems } from '../src/terraformChecks';
import { loadTerraform } from '../src/terraformModel';
import { loadEditedCopy, PATHS, repositoryConfig } from './helpers';

test('every module of the configuration parses', async () => {
  const config = await repositoryConfig();
  const labels = [...config.modules.values()].map((m) => m.label).sort();
  expect(labels).toEqual([
    '.',
    'bootstrap',
    'modules/alb',
    'modules/bucket_hardening',
    'modules/ecr',
    'modules/ecs',
    'modules/iam',
    'modules/lambda',
    'modules/monitoring',
    'modules/network',
    'modules/s3',
    'modules/service_role',
    'modules/step_functions',
  ]);
});

test('the root composes every module', async () => {
  const config = await repositoryConfig();
  const root = config.modules.get(PATHS.terraform)!;
  expect(
    Object.values(root.moduleCalls)
      .map((call) => call.source)
      .sort(),
  ).toEqual([
    './modules/alb',
    './modules/ecr',
    './modules/ecs',
    './modules/iam',
    './modules/lambda',
    './modules/monitoring',
    './modules/network',
    './modules/s3',
    './modules/step_functions',
  ]);
});

test('modules have the standard files, typed and documented variables and outputs, pinned versions', async () => {
  expect(structureProblems(await repositoryConfig())).toEqual([]);
});

test('negative: an undocumented variable, an untyped variable, an undocumented output, an unpinned provider', async () => {
  const config = await loadEditedCopy([
    { file: 'modules/ecr/variables.tf', from: '  description = "Name of the repository."\n', to: '' },
    { file: 'modules/ecr/variables.tf', from: '  type        = number\n  default     = 20', to: '  default     = 20' },
    { file: 'modules/ecr/outputs.tf', from: '  description = "Name of the repository."\n', to: '' },
    { file: 'modules/alb/versions.tf', from: '      version = ">= 5.100, < 7"\n', to: '' },
  ]);
  expect(structureProblems(config).sort()).toEqual([
    'modules/alb: provider aws has no version constraint',
    'modules/ecr: output "repository_name" has no description',
    'modules/ecr: variable "keep_images" has no type',
    'modules/ecr: variable "name" has no description',
  ]);
});

test('negative: a module without outputs.tf', async () => {
  const copy = await loadEditedCopy([]);
  rmSync(`${copy.root}/modules/ecr/outputs.tf`);
  const reloaded = await loadTerraform(copy.root);
  expect(structureProblems(reloaded)).toContain('modules/ecr: no outputs.tf');
});
