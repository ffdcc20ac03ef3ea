// How failures are answered: an unknown run is 404, a run's artifact that cannot be read back is the server's
// fault (500, a short message naming the artifact, the details in the log and never in the answer).
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { runKeys } from '@overfit/store';
import { buildApp } from '../src/app';
import { datasetCatalog } from '../src/datasets';
import { GOOD_RUN, makeFixture, RecordingLauncher, type Fixture } from './fixtures';

// The fixture runs the real pipeline once: seconds, many more on a busy machine.
jest.setTimeout(300_000);
let fixture: Fixture;
let app: FastifyInstance;
const logged: Record<string, unknown>[] = [];

beforeAll(async () => {
  fixture = await makeFixture();
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logged.push(JSON.parse(String(chunk)));
      done();
    },
  });
  app = await buildApp({
    store: fixture.store,
    launcher: new RecordingLauncher(),
    datasets: await datasetCatalog(),
    logger: { level: 'error', stream },
  });
}, 300_000);
afterAll(async () => {
  await app.close();
  await fixture.cleanUp();
});

test('an unknown run, or a file a run does not have, is 404 with a message saying so', async () => {
  const unknown = '20991231T000000Z-abcdef';
  for (const [url, message] of [
    [`/api/runs/${unknown}`, `no run ${unknown}`],
    [`/api/runs/${unknown}/status`, `no run ${unknown}`],
    [`/api/runs/${unknown}/strategies`, `no finished run ${unknown} with strategies`],
    [`/api/runs/${GOOD_RUN}/artifacts/plots/nothing.png`, `run ${GOOD_RUN} has no plots/nothing.png`],
  ]) {
    const response = await app.inject({ method: 'GET', url });
    expect([url, response.statusCode, response.json()]).toEqual([
      url,
      404,
      { statusCode: 404, error: 'Not Found', message },
    ]);
  }
});

test('a corrupt artifact is 500 naming it, with neither a stack nor a server path; the log has the details', async () => {
  const keys = runKeys(GOOD_RUN);
  // What a truncated write or a hand edit leaves: a table cut mid-row, a results document cut mid-object.
  const table = (await fixture.store.get(keys.trainingPerformance)).toString('utf8');
  await fixture.store.put(
    keys.trainingPerformance,
    `${table.split('\n').slice(0, 3).join('\n')}\ns0099,not-a-number\n`,
  );
  await fixture.store.put(keys.validationResults, '{"strategy": {"id": "s00');

  for (const [url, key] of [
    [`/api/runs/${GOOD_RUN}/strategies`, keys.trainingPerformance],
    [`/api/runs/${GOOD_RUN}`, keys.validationResults],
  ]) {
    logged.length = 0;
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: `${key} cannot be read back; the server's log has the details.`,
    });
    expect(response.body).not.toContain(fixture.dir);
    expect(response.body).not.toMatch(/\bat \S+ \(|\.ts:\d+/);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'corrupt artifact',
        err: expect.objectContaining({ type: 'CorruptArtifactError', message: expect.stringContaining(key) }),
      }),
    ]);
  }
});
