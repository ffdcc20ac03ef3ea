// Each Lambda's handler and zip path exist in the build output: Terraform deploys dist/lambda/<name>.zip for the
// functions of local.functions, and the build (tools/build-lambdas.mjs, npm run build) writes exactly those zips,
// each with a CommonJS index.js exporting `handler`.
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { ZipFile } from 'yazl';
import { buildScriptFunctions, lambdaBuildProblems, pipelineFunctionNames } from '../src/terraformChecks';
import { zipEntries } from '../src/zipEntries';
import { loadEditedCopy, PATHS, repositoryConfig } from './helpers';

const builtZips = existsSync(PATHS.lambdaDist)
  ? readdirSync(PATHS.lambdaDist).filter((file) => file.endsWith('.zip'))
  : [];
const CONTRACT = ['backtest', 'finalize', 'generate', 'select', 'validate', 'visualize'];

test('Terraform deploys the six functions of the build contract, handler index.handler, x86_64, from dist/lambda', async () => {
  const config = await repositoryConfig();
  expect(pipelineFunctionNames(config)).toEqual(CONTRACT);
  expect(lambdaBuildProblems(config, PATHS.lambdaDist, CONTRACT)).toEqual([]);
});

test('the build script (tools/build-lambdas.mjs) builds exactly the functions Terraform deploys', async () => {
  const built = buildScriptFunctions(readFileSync(PATHS.lambdaBuildScript, 'utf8'));
  expect(built).toEqual(CONTRACT);
  expect(lambdaBuildProblems(await repositoryConfig(), PATHS.lambdaDist, built)).toEqual([]);
});

test('buildScriptFunctions reads the top-level keys only, and fails loudly on another layout', () => {
  const script =
    "const FUNCTIONS = {\n  generate: { entry: 'a.ts' },\n  visualize: {\n    entry: 'b.ts',\n    nested: { entry: 'no' },\n  },\n};\n";
  expect(buildScriptFunctions(script)).toEqual(['generate', 'visualize']);
  expect(() => buildScriptFunctions('export const functions = []')).toThrow(/no `const FUNCTIONS/);
});

// The zips exist only after `npm run build` (CI builds before it tests); without them there is nothing to open.
const whenBuilt = builtZips.length > 0 ? test : test.skip;
whenBuilt('the built zips are the functions Terraform deploys, each with index.js at its root', async () => {
  const config = await repositoryConfig();
  expect(
    lambdaBuildProblems(
      config,
      PATHS.lambdaDist,
      builtZips.map((zip) => basename(zip, '.zip')),
    ),
  ).toEqual([]);
  for (const zip of builtZips) expect(zipEntries(`${PATHS.lambdaDist}/${zip}`)).toContain('index.js');
});

test('negative: handler, architecture, zip name, artifacts folder and function list each break the check', async () => {
  const config = await loadEditedCopy([
    {
      file: 'modules/lambda/main.tf',
      from: 'handler          = "index.handler"',
      to: 'handler          = "handler.main"',
    },
    { file: 'modules/lambda/main.tf', from: 'architectures    = ["x86_64"]', to: 'architectures    = ["arm64"]' },
    {
      file: 'modules/lambda/main.tf',
      from: 'filename         = "${var.artifacts_dir}/${each.key}.zip"',
      to: 'filename         = "${var.artifacts_dir}/${each.key}-lambda.zip"',
    },
    { file: 'main.tf', from: '"${path.root}/../../dist/lambda"', to: '"${path.root}/../../build/lambda"' },
  ]);
  expect(lambdaBuildProblems(config, `${config.root}/../../dist/lambda`, [...CONTRACT, 'report'])).toEqual([
    ".: local.functions (backtest, finalize, generate, select, validate, visualize) differs from the build's functions (backtest, finalize, generate, report, select, validate, visualize)",
    ".: module.lambda: artifacts_dir ${path.root}/../../build/lambda is not the build's " +
      `${config.root}/../../dist/lambda`,
    'modules/lambda: aws_lambda_function.stage: handler handler.main is not index.handler',
    'modules/lambda: aws_lambda_function.stage: architectures is not ["x86_64"]',
    'modules/lambda: aws_lambda_function.stage: filename ${var.artifacts_dir}/${each.key}-lambda.zip is not <artifacts_dir>/<function>.zip',
  ]);
});

test('zipEntries lists the names of a zip written by yazl, and rejects a file that is no zip', async () => {
  const dir = mkdtempSync(`${tmpdir()}/zip-`);
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from('exports.handler = async () => 1;'), 'index.js');
  zip.addBuffer(Buffer.from('{}'), 'node_modules/@napi-rs/canvas/package.json');
  zip.end();
  await new Promise<void>((done) => zip.outputStream.pipe(createWriteStream(`${dir}/f.zip`)).on('close', () => done()));
  expect(zipEntries(`${dir}/f.zip`)).toEqual(['index.js', 'node_modules/@napi-rs/canvas/package.json']);
  writeFileSync(`${dir}/not.zip`, 'hello');
  expect(() => zipEntries(`${dir}/not.zip`)).toThrow(/not a zip file/);
  rmSync(dir, { recursive: true });
});
