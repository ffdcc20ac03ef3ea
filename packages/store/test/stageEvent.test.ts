import { DEFAULT_RUN_CONFIG } from '@overfit/core';
import { eventKey, parseStageEvent } from '../src';

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
    expect(eventKey({ k: 'runs/r1/results/x.csv' }, 'k', 'r1')).toBe('runs/r1/results/x.csv');
    for (const bad of ['runs/r2/x.csv', 'runs/r1/../r2/x.csv', 'latest.json', 42]) {
      expect(() => eventKey({ k: bad }, 'k', 'r1')).toThrow('event.k');
    }
  });
});
