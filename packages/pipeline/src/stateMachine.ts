// The state machine definition (state-machine.asl.json): the one file both Terraform (templatefile) and the
// in-process engine read. Its placeholders are exactly the six function ARNs.
// Which function each Task state invokes is the stage registry's (TASK_FUNCTIONS, @overfit/core).
import { FUNCTION_NAMES, type FunctionName } from '@overfit/core';
import template from './state-machine.asl.json';

/** `${generate_function_arn}` … `${finalize_function_arn}`: the names Terraform's templatefile() passes. */
export const ASL_PLACEHOLDERS = FUNCTION_NAMES.map((name) => `${name}_function_arn`);

/** The definition as JSON text with its placeholders, as Terraform reads it. */
export const stateMachineTemplate = (): string => JSON.stringify(template, null, 2);

/** The definition with every placeholder replaced by the given function ARNs. */
export function stateMachineDefinition(arns: Record<FunctionName, string>): Record<string, unknown> {
  const text = stateMachineTemplate().replace(/\$\{(\w+)_function_arn\}/g, (placeholder, name: string) => {
    if (!(name in arns)) throw new Error(`no ARN for the placeholder ${placeholder}`);
    return arns[name as FunctionName];
  });
  return JSON.parse(text) as Record<string, unknown>;
}

/** Stand-in ARNs for the in-process engine and the tests (nothing is invoked at them). */
export const localFunctionArns = (): Record<FunctionName, string> =>
  Object.fromEntries(
    FUNCTION_NAMES.map((name) => [name, `arn:aws:lambda:us-east-1:000000000000:function:overfit-${name}`]),
  ) as Record<FunctionName, string>;
