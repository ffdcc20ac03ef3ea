// Shared by the tests: the repository's paths, the configuration loaded once, and broken copies of it for the
// negative tests (each check must report a problem when its property is broken).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { repositoryPaths } from '../src/terraformChecks';
import { loadTerraform, type TerraformConfig } from '../src/terraformModel';

export const REPOSITORY = resolve(__dirname, '../..');
export const PATHS = repositoryPaths(REPOSITORY);

let loaded: Promise<TerraformConfig> | undefined;
/** The repository's Terraform configuration, parsed once per test file. */
export const repositoryConfig = (): Promise<TerraformConfig> => (loaded ??= loadTerraform(PATHS.terraform));

export interface Edit {
  /** File relative to infrastructure/terraform. */
  file: string;
  from: string | RegExp;
  to: string;
}

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/**
 * Copies infrastructure/terraform into a temporary repository layout, applies the edits (each must change its
 * file, so a stale edit cannot make a negative test pass vacuously) and loads the copy. The copy's
 * packages/pipeline/src/state-machine.asl.json is `asl` when given, else the repository's (linked).
 */
export async function loadEditedCopy(edits: Edit[], options: { asl?: string } = {}): Promise<TerraformConfig> {
  const repository = mkdtempSync(join(tmpdir(), 'overfit-tf-'));
  copies.push(repository);
  const terraform = join(repository, 'infrastructure/terraform');
  cpSync(PATHS.terraform, terraform, { recursive: true, filter: (source) => !source.includes('/.terraform') });
  const asl = join(repository, 'packages/pipeline/src/state-machine.asl.json');
  mkdirSync(dirname(asl), { recursive: true });
  if (options.asl !== undefined) writeFileSync(asl, options.asl);
  else if (existsSync(PATHS.stateMachine)) symlinkSync(PATHS.stateMachine, asl);
  for (const edit of edits) {
    const file = join(terraform, edit.file);
    const before = readFileSync(file, 'utf8');
    const after = before.replace(edit.from, edit.to);
    if (after === before) throw new Error(`edit of ${edit.file} changed nothing: ${String(edit.from)}`);
    writeFileSync(file, after);
  }
  return loadTerraform(terraform);
}
