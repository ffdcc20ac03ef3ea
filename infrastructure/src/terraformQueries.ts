// Small queries over the parsed Terraform model, shared by the layout/build checks (terraformChecks.ts) and the
// security checks (securityChecks.ts).
import type { Block, TerraformModule } from './terraformModel';

export const ofType = (m: TerraformModule, type: string): Block[] => m.resources.filter((r) => r.type === type);
export const mentions = (block: Block, reference: string): boolean => JSON.stringify(block.body).includes(reference);
export const resolveVariable = (m: TerraformModule, value: unknown): unknown => {
  const variable = typeof value === 'string' ? /^\$\{var\.(\w+)\}$/.exec(value) : null;
  return variable ? m.variables[variable[1]]?.default : value;
};
export const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];
