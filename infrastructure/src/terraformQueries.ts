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

export type Statement = Record<string, any>;

/** `${local.NAME}` in module `m`: the local's parsed value, else undefined. */
const localValue = (m: TerraformModule, expression: unknown): unknown => {
  const name = /^\$\{local\.(\w+)\}$/.exec(String(expression))?.[1];
  return name === undefined ? undefined : m.locals[name];
};

/** `content` of a dynamic block with `<iterator>.key` and `<iterator>.value.<field>` replaced from one entry. */
function instantiate(content: Statement, iterator: string, key: string, value: Record<string, unknown>): Statement {
  const field = new RegExp(`^\\$\\{(?:try\\()?${iterator}\\.value\\.(\\w+)`);
  const resolve = (expression: unknown) => {
    if (expression === `\${${iterator}.key}`) return key;
    const name = field.exec(String(expression))?.[1];
    return name === undefined ? expression : (value[name] ?? []);
  };
  const statement = Object.fromEntries(Object.entries(content).map(([name, v]) => [name, resolve(v)]));
  // A nested dynamic block (the conditions) becomes the list of its entries, as written in the map.
  for (const [name, [nested]] of Object.entries<Statement[]>(content.dynamic ?? {}))
    statement[name] = resolve(nested.for_each);
  delete statement.dynamic;
  return statement;
}

/**
 * The statements of an aws_iam_policy_document as they will be: the literal `statement` blocks, and the `dynamic
 * "statement"` blocks expanded where their entries are written in the configuration, i.e. iterating a local map
 * (`local.NAME`) or, in a document with `for_each = local.NAME`, each entry's own map (`each.value`). A dynamic
 * block over anything else is taken as written when its actions are literal; otherwise the document is
 * `unreadable`: nothing here could say what it grants.
 */
export function policyStatements(
  m: TerraformModule,
  document: Block,
): { statements: Statement[]; unreadable: boolean } {
  const statements = asList(document.body.statement) as Statement[];
  let unreadable = false;
  const instances = localValue(m, document.body.for_each) as Record<string, unknown> | undefined;
  for (const block of (document.body.dynamic?.statement ?? []) as Statement[]) {
    const [content] = asList(block.content) as Statement[];
    const iterator = block.iterator ?? 'statement';
    const maps =
      block.for_each === '${each.value}' && instances
        ? Object.values(instances)
        : [localValue(m, block.for_each)].filter((map) => map !== undefined);
    if (maps.length > 0) {
      for (const map of maps as Record<string, Record<string, unknown>>[])
        for (const [key, value] of Object.entries(map)) statements.push(instantiate(content, iterator, key, value));
    } else if (Array.isArray(content?.actions)) statements.push(content);
    else unreadable = true;
  }
  return { statements, unreadable };
}
