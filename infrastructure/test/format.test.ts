// `terraform fmt -check` without terraform: @cdktn/hcl-tools runs hclwrite.Format, the formatter inside it.
import { formatProblems } from '../src/terraformChecks';
import { loadEditedCopy, repositoryConfig } from './helpers';

test('every .tf file is terraform fmt-clean', async () => {
  expect(await formatProblems(await repositoryConfig())).toEqual([]);
});

test('negative: a misaligned argument and a wrong indent are reported', async () => {
  const config = await loadEditedCopy([
    { file: 'modules/ecr/main.tf', from: '  force_delete         = var.force_delete', to: '  force_delete = var.force_delete' },
    { file: 'variables.tf', from: '  default     = "us-east-1"', to: '    default     = "us-east-1"' },
  ]);
  expect(await formatProblems(config)).toEqual([
    '.: variables.tf is not terraform fmt-clean',
    'modules/ecr: main.tf is not terraform fmt-clean',
  ]);
});
