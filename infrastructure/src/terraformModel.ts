// Loads a Terraform configuration (a root folder and every folder of .tf files below it) into a small model the
// checks read. There is no terraform binary here, so @cdktn/hcl2json does the parsing: it turns HCL into JSON in
// which every expression stays a string such as "${var.bucket_arn}/*".
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { convertFiles } from '@cdktn/hcl2json';

/** A resource or data block: `resource "type" "name" { body }`. */
export interface Block {
  type: string;
  name: string;
  body: Record<string, any>;
}

export interface TerraformModule {
  /** Absolute folder of the module. */
  dir: string;
  /** The folder relative to the configuration root ("." for the root), used in messages. */
  label: string;
  /** Absolute paths of its .tf files. */
  files: string[];
  /** The merged hcl2json output of all its files. */
  json: Record<string, any>;
  variables: Record<string, Record<string, any>>;
  outputs: Record<string, Record<string, any>>;
  moduleCalls: Record<string, Record<string, any>>;
  locals: Record<string, any>;
  resources: Block[];
  data: Block[];
}

export interface TerraformConfig {
  root: string;
  /** Every module folder by absolute path; the root is one of them. */
  modules: Map<string, TerraformModule>;
}

/** Every .tf file below `dir`, skipping hidden folders (.terraform) and files. */
function terraformFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((entry) => {
    if (entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return terraformFiles(path);
    return entry.name.endsWith('.tf') ? [path] : [];
  });
}

const firstOfEach = (blocks: Record<string, any[]> | undefined): Record<string, Record<string, any>> =>
  Object.fromEntries(Object.entries(blocks ?? {}).map(([name, bodies]) => [name, bodies[0]]));

const typedBlocks = (blocks: Record<string, Record<string, any[]>> | undefined): Block[] =>
  Object.entries(blocks ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, bodies]) => ({ type, name, body: bodies[0] })),
  );

// hcl2json's output depends only on the files' names and text, so folders with the same content (a test's
// edited copy of the configuration shares most of them with the original) are parsed once per process.
const parsedByContent = new Map<string, Promise<Record<string, any>>>();
function parseModule(dir: string, files: string[]): Promise<Record<string, any>> {
  const content = files
    .map((file) => `${basename(file)}\0${readFileSync(file, 'utf8')}`)
    .sort()
    .join('\0');
  let parsed = parsedByContent.get(content);
  if (!parsed) {
    parsed = convertFiles(dir);
    parsedByContent.set(content, parsed);
    parsed.catch(() => parsedByContent.delete(content));
  }
  return parsed;
}

/** Parses every module folder under `root`; rejects with hcl2json's message (file:line) on a syntax error. */
export async function loadTerraform(root: string): Promise<TerraformConfig> {
  const absoluteRoot = resolve(root);
  const files = terraformFiles(absoluteRoot);
  const byDir = new Map<string, string[]>();
  for (const file of files) byDir.set(dirname(file), [...(byDir.get(dirname(file)) ?? []), file]);
  const modules = new Map<string, TerraformModule>();
  for (const [dir, dirFiles] of byDir) {
    const json = await parseModule(dir, dirFiles);
    modules.set(dir, {
      dir,
      label: relative(absoluteRoot, dir) || '.',
      files: dirFiles.sort(),
      json,
      variables: firstOfEach(json.variable),
      outputs: firstOfEach(json.output),
      moduleCalls: firstOfEach(json.module),
      locals: Object.assign({}, ...(json.locals ?? [])),
      resources: typedBlocks(json.resource),
      data: typedBlocks(json.data),
    });
  }
  return { root: absoluteRoot, modules };
}

/** The module a call's `source` points at, when it is a local path. */
export function calledModule(
  config: TerraformConfig,
  caller: TerraformModule,
  call: Record<string, any>,
): TerraformModule | undefined {
  return config.modules.get(resolve(caller.dir, call.source));
}

/** The root module of the configuration. */
export function rootModule(config: TerraformConfig): TerraformModule {
  const root = config.modules.get(config.root);
  if (!root) throw new Error(`${config.root} has no .tf files`);
  return root;
}
