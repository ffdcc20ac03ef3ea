// Lists every source line longer than 120 characters that can be shortened (npm run lint). Biome wraps code at 120;
// what it cannot wrap is a comment (wrap it by hand) or a long literal. Literals are left whole on purpose: an error
// message or a test name cut in two can no longer be found by searching for what the user saw, so the characters of
// string, template and regular-expression literals do not count towards the limit.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const MAX = 120;
const LITERALS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
]);

/** For each character of the text, whether it lies inside a literal. */
function literalMask(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('.ts') ? 3 : 1);
  const mask = new Uint8Array(text.length);
  const visit = (node) => {
    if (LITERALS.has(node.kind)) mask.fill(1, node.getStart(source), node.end);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return mask;
}

const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.js', '*.mjs', '*.cjs'],
  {
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter(Boolean);
let count = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the work tree but still in the index
  }
  let mask = null;
  let start = 0;
  text.split('\n').forEach((line, i) => {
    if ([...line].length > MAX) {
      mask ??= literalMask(file, text);
      let length = 0;
      for (let c = 0; c < line.length; c++) {
        const code = line.charCodeAt(c);
        if (code >= 0xdc00 && code <= 0xdfff) continue; // the second half of a surrogate pair
        if (!mask[start + c]) length++;
      }
      if (length > MAX) {
        count++;
        console.log(`${file}:${i + 1}: ${length} characters outside literals`);
      }
    }
    start += line.length + 1;
  });
}
if (count > 0) {
  console.log(`${count} line(s) longer than ${MAX} characters outside literals`);
  process.exitCode = 1;
}
