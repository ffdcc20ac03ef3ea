import { DEFAULT_RUN_CONFIG, InputError } from '@overfit/core';
import { parseStageEvent } from '../src';

const data = { kind: 'synthetic', bars: 1000, seed: 1, intervalSeconds: 3600 };

describe('stage events', () => {
  it('fills config defaults and keeps the data reference', () => {
    const event = parseStageEvent({ runId: 'r1', config: { strategies: 20 }, data });
    expect(event).toEqual({ runId: 'r1', config: { ...DEFAULT_RUN_CONFIG, strategies: 20 }, data });
  });

  it.each([
    [{ config: {}, data }, 'event.runId'],
    [{ runId: '../x', config: {}, data }, 'event.runId'],
    [{ runId: 'r', config: { strategies: 0 }, data }, 'event.config.strategies'],
    [{ runId: 'r', config: { stratgies: 10 }, data }, 'event.config.stratgies'],
    [{ runId: 'r', config: { families: ['astrology'] }, data }, 'event.config.families'],
    [{ runId: 'r', config: {}, data: { kind: 'ftp' } }, 'event.data'],
    [{ runId: 'r', config: {}, data: { kind: 'synthetic', bars: 5, seed: 1, intervalSeconds: 60 } }, 'event.data.bars'],
  ])('rejects %j naming %s', (event, where) => {
    expect(() => parseStageEvent(event)).toThrow(expect.objectContaining({ where }));
  });

  it('accepts only keys inside the run', () => {
    const event = { runId: 'r1', data, strategiesKey: 'runs/r1/results/strategies.json' };
    expect(parseStageEvent(event, 'backtest')).toEqual({ runId: 'r1', config: DEFAULT_RUN_CONFIG, data });
    for (const bad of ['runs/r2/x.csv', 'runs/r1/../r2/x.csv', 'latest.json', 42]) {
      expect(() => parseStageEvent({ ...event, strategiesKey: bad }, 'backtest')).toThrow(
        expect.objectContaining({ where: 'event.strategiesKey' }),
      );
    }
  });

  it('lists every problem of an event in one error, the first as its where', () => {
    const event = {
      runId: 'r1',
      config: { strategies: 0, trainFraction: 1 },
      data: { kind: 'synthetic', bars: 5, seed: 1, intervalSeconds: 60 },
      blockMomentsKey: 'runs/r2/m.bin',
    };
    let error: unknown;
    try {
      parseStageEvent(event, 'validate');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const { where, problems, message } = error as InputError;
    expect(where).toBe(problems[0].where);
    expect(problems.map((p) => p.where).sort()).toEqual([
      'event.bestStrategyKey',
      'event.blockMomentsKey',
      'event.config.strategies',
      'event.config.trainFraction',
      'event.data.bars',
      'event.strategiesKey',
      'event.trainingPerformanceKey',
      'event.validationPerformanceKey',
    ]);
    expect(message).toContain('event.config.trainFraction: must be a number greater than 0 and less than 1 (got 1)');
    expect(message).toContain('event.blockMomentsKey: must be a key under runs/r1/ (got "runs/r2/m.bin")');
    expect(message).toContain('event.bestStrategyKey: must be a key under runs/r1/ (missing)');
  });
});
