// Static checks of the dashboard's Dockerfile (there is no Docker engine here to build it): node:22-slim in
// every stage, more than one stage, production dependencies only in the final image, a non-root user, a health
// check, an exec-form command, no secrets baked in, and a .dockerignore that keeps credentials and state out.

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions with continuation lines joined and comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length)
      line = `${line.slice(0, -1)} ${lines[++i].replace(/^\s*#.*$/, '')}`;
    const match = /^\s*(\w+)\s+([\s\S]*)$/.exec(line);
    if (match) instructions.push({ keyword: match[1].toUpperCase(), args: match[2].trim(), line: start + 1 });
  }
  return instructions;
}

interface Stage {
  base: string;
  name: string | undefined;
  instructions: Instruction[];
}

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [base, as, name] = instruction.args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL|API_KEY)/i;
const SECRET_FILE = /(^|\/)(\.env(\.[\w-]+)?|\.npmrc|\.aws|[\w.-]+\.pem|[\w.-]+\.key|id_rsa|[\w.-]+\.tfstate)$/;
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const MUST_IGNORE = ['**/node_modules', '.git', '**/.env', '**/*.tfstate', '.overfit'];

export function dockerfileProblems(dockerfile: string, dockerignore: string): string[] {
  const problems: string[] = [];
  const instructions = parseDockerfile(dockerfile);
  const stages = stagesOf(instructions);
  if (stages.length < 2) problems.push('not a multi-stage build');
  for (const [index, stage] of stages.entries()) {
    if (!/^node:22-slim@sha256:[0-9a-f]{64}$/.test(stage.base))
      problems.push(`stage ${stage.name ?? index + 1}: base image ${stage.base} is not node:22-slim pinned by digest`);
  }
  const final = stages.at(-1);
  if (final) {
    const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
    if (!user) problems.push('the final stage runs as root (no USER)');
    else if (/^(root|0)(:|$)/.test(user)) problems.push(`the final stage runs as ${user}`);
    const healthcheck = final.instructions.find((i) => i.keyword === 'HEALTHCHECK');
    if (!healthcheck || /^NONE$/i.test(healthcheck.args)) problems.push('the final stage has no HEALTHCHECK');
    const cmd = final.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT').at(-1);
    if (!cmd?.args.startsWith('[')) problems.push('CMD is not in exec form (node would not receive SIGTERM)');
    // Production dependencies only: node_modules reach the final image from a stage that installs with
    // --omit=dev, and the final stage installs nothing with dev dependencies itself.
    const productionStages = new Set(
      stages
        .filter((s) => s.instructions.some((i) => i.keyword === 'RUN' && /npm ci\b[^&]*--omit=dev/.test(i.args)))
        .map((s) => s.name),
    );
    for (const copy of final.instructions.filter((i) => i.keyword === 'COPY' && /node_modules/.test(i.args))) {
      const from = /--from=(\S+)/.exec(copy.args)?.[1];
      if (!from || !productionStages.has(from))
        problems.push(
          `line ${copy.line}: node_modules copied from ${from ?? 'the build context'}, not from an --omit=dev install`,
        );
    }
    for (const run of final.instructions.filter(
      (i) => i.keyword === 'RUN' && /npm (ci|install|i)\b/.test(i.args) && !/--omit=dev/.test(i.args),
    )) {
      problems.push(`line ${run.line}: the final stage installs dev dependencies`);
    }
    if (
      !final.instructions.some((i) => i.keyword === 'COPY' && /node_modules/.test(i.args)) &&
      productionStages.size === 0
    )
      problems.push('no production dependency install');
  }
  for (const instruction of instructions) {
    if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
      for (const name of instruction.args.matchAll(/(?:^|\s)([A-Za-z_][\w]*)(?==|\s|$)/g)) {
        if (SECRET_NAME.test(name[1]))
          problems.push(
            `line ${instruction.line}: ${instruction.keyword} ${name[1]} would bake a secret into the image`,
          );
      }
    }
    if (
      (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
      instruction.args.split(/\s+/).some((part) => SECRET_FILE.test(part))
    ) {
      problems.push(`line ${instruction.line}: ${instruction.keyword} of a credentials file`);
    }
    if (AWS_ACCESS_KEY_ID.test(instruction.args)) problems.push(`line ${instruction.line}: an AWS access key id`);
  }
  const ignored = new Set(
    dockerignore
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  );
  for (const pattern of MUST_IGNORE)
    if (!ignored.has(pattern)) problems.push(`.dockerignore does not exclude ${pattern}`);
  return problems;
}
