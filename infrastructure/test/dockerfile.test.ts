// apps/dashboard/Dockerfile, checked statically (no Docker engine here): node:22-slim pinned by digest, multi-stage,
// production dependencies only, non-root user, HEALTHCHECK, exec-form CMD, no secrets, and a .dockerignore that keeps
// credentials, state and dependencies out of the build context.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerfileProblems, parseDockerfile } from '../src/dockerfileChecks';
import { REPOSITORY } from './helpers';

const dockerfile = readFileSync(join(REPOSITORY, 'apps/dashboard/Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(REPOSITORY, 'apps/dashboard/.dockerignore'), 'utf8');

test('the Dockerfile passes every check', () => {
  expect(dockerfileProblems(dockerfile, dockerignore)).toEqual([]);
});

test('it runs the bundled server the dashboard build writes, on the port the task definition maps', () => {
  const instructions = parseDockerfile(dockerfile);
  expect(instructions.find((i) => i.keyword === 'CMD')?.args).toBe('["node", "apps/dashboard/dist/server.cjs"]');
  expect(instructions.some((i) => i.keyword === 'RUN' && i.args.includes('node apps/dashboard/build.mjs'))).toBe(true);
  expect(instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args)).toEqual(['3000']);
  expect(instructions.find((i) => i.keyword === 'USER')?.args).toBe('node');
});

test('continuation lines join into one instruction', () => {
  expect(parseDockerfile('FROM node:22-slim\nRUN a \\\n  && b\nCMD ["x"]\n')).toEqual([
    { keyword: 'FROM', args: 'node:22-slim', line: 1 },
    { keyword: 'RUN', args: 'a    && b', line: 2 },
    { keyword: 'CMD', args: '["x"]', line: 4 },
  ]);
});

const PINNED = 'node:22-slim@sha256:' + 'a'.repeat(64);
const broken = (from: string | RegExp, to: string) => {
  const text = dockerfile.replace(from, to);
  if (text === dockerfile) throw new Error(`edit changed nothing: ${String(from)}`);
  return dockerfileProblems(text, dockerignore);
};

test('negative: another base image, a single stage', () => {
  expect(broken(/FROM node:22-slim@sha256:\w+ AS dependencies/, 'FROM node:20 AS dependencies')).toEqual([
    'stage dependencies: base image node:20 is not node:22-slim pinned by digest',
  ]);
  expect(broken(/FROM node:22-slim@sha256:\w+ AS build/, 'FROM node:22-slim AS build')).toEqual([
    'stage build: base image node:22-slim is not node:22-slim pinned by digest',
  ]);
  const singleStage = `FROM ${PINNED}\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nHEALTHCHECK CMD ["true"]\nCMD ["node", "x.js"]\n`;
  expect(dockerfileProblems(singleStage, dockerignore)).toEqual(['not a multi-stage build']);
});

test('negative: root user, no USER, no HEALTHCHECK, shell-form CMD', () => {
  expect(broken('USER node', 'USER root')).toEqual(['the final stage runs as root']);
  expect(broken('USER node\n', '')).toEqual(['the final stage runs as root (no USER)']);
  expect(broken(/HEALTHCHECK[\s\S]*?\n(?=# Exec)/, '')).toEqual(['the final stage has no HEALTHCHECK']);
  expect(broken('CMD ["node", "apps/dashboard/dist/server.cjs"]', 'CMD node apps/dashboard/dist/server.cjs')).toEqual([
    'CMD is not in exec form (node would not receive SIGTERM)',
  ]);
});

test('negative: dev dependencies in the final image', () => {
  expect(broken('COPY --from=dependencies /repo/node_modules', 'COPY --from=build /repo/node_modules')[0]).toMatch(
    /node_modules copied from build, not from an --omit=dev install/,
  );
  expect(broken('npm ci --omit=dev --ignore-scripts', 'npm ci --ignore-scripts')[0]).toMatch(
    /node_modules copied from dependencies, not from an --omit=dev install/,
  );
});

test('negative: a final stage that installs its own dependencies, dev ones included', () => {
  const installsEverything = `FROM ${PINNED} AS build\nRUN true\nFROM ${PINNED}\nCOPY . .\nRUN npm ci\nUSER node\nHEALTHCHECK CMD ["true"]\nCMD ["node", "x.js"]\n`;
  expect(dockerfileProblems(installsEverything, dockerignore)).toEqual([
    'line 5: the final stage installs dev dependencies',
    'no production dependency install',
  ]);
});

test('negative: secrets in ENV or ARG, a credentials file, an access key id, a .dockerignore letting .env in', () => {
  expect(broken('ENV NODE_ENV=production', 'ENV RUN_TRIGGER_TOKEN=abc NODE_ENV=production')).toEqual([
    expect.stringMatching(/ENV RUN_TRIGGER_TOKEN would bake a secret/),
  ]);
  expect(broken('WORKDIR /app\n', 'WORKDIR /app\nARG AWS_SECRET_ACCESS_KEY\n')).toEqual([
    expect.stringMatching(/ARG AWS_SECRET_ACCESS_KEY would bake a secret/),
  ]);
  expect(broken('WORKDIR /app\n', 'WORKDIR /app\nCOPY .env ./\n')).toEqual([
    expect.stringMatching(/COPY of a credentials file/),
  ]);
  expect(broken('WORKDIR /app\n', 'WORKDIR /app\nRUN echo AKIAABCDEFGHIJKLMNOP > /tmp/k\n')).toEqual([
    expect.stringMatching(/an AWS access key id/),
  ]);
  expect(dockerfileProblems(dockerfile, dockerignore.replace('**/.env\n', ''))).toEqual([
    '.dockerignore does not exclude **/.env',
  ]);
});
