// The state machine's definition is the ASL file of @overfit/pipeline, filled by templatefile(): Terraform must
// supply exactly the placeholders that file uses (a missing one fails `terraform apply`, an extra one hides a
// renamed placeholder).
import { readFileSync } from 'node:fs';
import { pipelineFunctionNames, templatefileCalls, templatefileProblems, templatePlaceholders } from '../src/terraformChecks';
import { loadEditedCopy, PATHS, repositoryConfig } from './helpers';

test('the step_functions module fills the ASL of @overfit/pipeline', async () => {
  const calls = templatefileCalls(await repositoryConfig());
  expect(calls.map((call) => [call.module.label, call.template])).toEqual([['modules/step_functions', PATHS.stateMachine]]);
});

test('it supplies one ARN per pipeline function', async () => {
  const config = await repositoryConfig();
  expect(pipelineFunctionNames(config)).toEqual(['backtest', 'finalize', 'generate', 'select', 'validate', 'visualize']);
  expect([...templatefileCalls(config)[0].supplied].sort()).toEqual([
    'backtest_function_arn', 'finalize_function_arn', 'generate_function_arn', 'select_function_arn', 'validate_function_arn', 'visualize_function_arn',
  ]);
});

test('the supplied variables equal the placeholders of packages/pipeline/src/state-machine.asl.json', async () => {
  // Fails, rather than skips, while the ASL file is missing: terraform plan would fail the same way.
  const config = await repositoryConfig();
  expect(templatefileProblems(config)).toEqual([]);
  expect([...templatefileCalls(config)[0].supplied].sort()).toEqual([...templatePlaceholders(readFileSync(PATHS.stateMachine, 'utf8'))].sort());
});

const ASL_FIXTURE = JSON.stringify({
  StartAt: 'Generate',
  States: {
    Generate: { Type: 'Task', Resource: '${generate_function_arn}', Next: 'Backtest' },
    Backtest: { Type: 'Map', MaxConcurrencyPath: '$.generate.maxConcurrency', ItemProcessor: { StartAt: 'Shard', States: { Shard: { Type: 'Task', Resource: '${backtest_function_arn}', End: true } } }, Next: 'Select' },
    Select: { Type: 'Task', Resource: '${select_function_arn}', Next: 'Validate' },
    Validate: { Type: 'Task', Resource: '${validate_function_arn}', Next: 'Visualize' },
    Visualize: { Type: 'Task', Resource: '${visualize_function_arn}', Next: 'Finalize' },
    Finalize: { Type: 'Task', Resource: '${finalize_function_arn}', End: true },
  },
});

test('a fixture ASL with the same placeholders passes', async () => {
  expect(templatefileProblems(await loadEditedCopy([], { asl: ASL_FIXTURE }))).toEqual([]);
});

test('negative: a function missing from local.functions leaves its placeholder unfilled', async () => {
  const config = await loadEditedCopy([{ file: 'main.tf', from: /\n    finalize  = \{[^\n]*/, to: '' }], { asl: ASL_FIXTURE });
  expect(templatefileProblems(config)).toEqual(['modules/step_functions: templatefile state-machine.asl.json: placeholder ${finalize_function_arn} not supplied']);
});

test('negative: a renamed placeholder in the ASL is reported from both sides', async () => {
  const config = await loadEditedCopy([], { asl: ASL_FIXTURE.replace('${select_function_arn}', '${selection_function_arn}') });
  expect(templatefileProblems(config)).toEqual([
    'modules/step_functions: templatefile state-machine.asl.json: placeholder ${selection_function_arn} not supplied',
    'modules/step_functions: templatefile state-machine.asl.json: select_function_arn supplied but not a placeholder',
  ]);
});

test('negative: an interpolation templatefile() cannot evaluate (here in a Comment) is reported; the $${ escape is not', async () => {
  const withComment = (comment: string) => ASL_FIXTURE.replace('{"StartAt"', () => `{"Comment":${JSON.stringify(comment)},"StartAt"`);
  const broken = await loadEditedCopy([], { asl: withComment('Terraform fills the ${…_function_arn} placeholders; %{ if x }') });
  expect(templatefileProblems(broken)).toEqual([
    'modules/step_functions: templatefile state-machine.asl.json: ${…_function_arn} is not a placeholder (write $${ or %%{ for a literal)',
    'modules/step_functions: templatefile state-machine.asl.json: %{ if x } is not a placeholder (write $${ or %%{ for a literal)',
  ]);
  const escaped = await loadEditedCopy([], { asl: withComment('Terraform fills the $${…_function_arn} placeholders') });
  expect(templatefileProblems(escaped)).toEqual([]);
});

test('negative: a missing template file', async () => {
  const config = await loadEditedCopy([{ file: 'modules/step_functions/main.tf', from: 'state-machine.asl.json', to: 'state_machine.asl.json' }], { asl: ASL_FIXTURE });
  expect(templatefileProblems(config)).toEqual([expect.stringMatching(/^modules\/step_functions: templatefile: .*state_machine\.asl\.json does not exist$/)]);
});
