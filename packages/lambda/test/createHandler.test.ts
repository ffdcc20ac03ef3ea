import { InputError } from '@overfit/core';
import { LocalStore } from '@overfit/store';
import { createHandler, type StageDefinition, type StageDeps } from '../src';

interface Input {
  runId: string;
  n: number;
}

const definition: StageDefinition<Input, { doubled: number }> = {
  stage: 'generate', // any registered function: the handler only names it
  parseEvent: (event) => {
    const n = (event as { n?: unknown }).n;
    if (typeof n !== 'number') throw new InputError('must be a number', 'event.n');
    return { runId: (event as { runId: string }).runId, n };
  },
  run: async (input) => ({ doubled: 2 * input.n }),
  counts: (input) => ({ Inputs: input.n }),
};

const deps = (): StageDeps => ({
  store: new LocalStore('/nonexistent'),
  loadPrices: () => Promise.reject(new Error('no prices here')),
});

describe('createHandler', () => {
  it('returns the stage output with its duration', async () => {
    const handler = createHandler(definition, { deps, logLevel: 'SILENT' });
    const output = await handler({ runId: 'r1', n: 21 });
    expect(output.doubled).toBe(42);
    expect(output.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('names the stage in the message of an error the stage raised (Step Functions shows it as the cause), once', async () => {
    const failing: StageDefinition<Input, never> = {
      ...definition,
      run: async () => {
        throw new Error('S3 GET s3://b/runs/r1/x.json: connect ECONNREFUSED');
      },
    };
    const handler = createHandler(failing, { deps, logLevel: 'SILENT' });
    await expect(handler({ runId: 'r1', n: 1 })).rejects.toThrow(
      /^generate stage: S3 GET s3:\/\/b\/runs\/r1\/x\.json: connect ECONNREFUSED$/,
    );
    const again = new Error('generate stage: already named');
    const rethrowing = createHandler(
      {
        ...definition,
        run: async () => {
          throw again;
        },
      },
      { deps, logLevel: 'SILENT' },
    );
    await expect(rethrowing({ runId: 'r1', n: 1 })).rejects.toThrow(/^generate stage: already named$/);
  });

  it('validates the event before asking for its dependencies', async () => {
    const lazy = jest.fn(deps);
    const handler = createHandler(definition, { deps: lazy, logLevel: 'SILENT' });
    await expect(handler({ runId: 'r1', n: 'x' })).rejects.toThrow('event.n: must be a number');
    expect(lazy).not.toHaveBeenCalled();
  });

  it('keeps a warm handler from carrying one run id into the next invocation', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const handler = createHandler(definition, { deps, logLevel: 'INFO' });
      await handler({ runId: 'first', n: 1 });
      await handler({ n: 2 });
    } finally {
      spy.mockRestore();
    }
    const runIds = lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).runId);
    expect(runIds).toEqual(['first', 'first', 'unknown', 'unknown']);
  });
});
