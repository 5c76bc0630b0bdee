import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { SeriesForecastRow } from '../db/repositories/forecasts.repository.js';
import { addWeeks } from '../engine/calendar/index.js';
import type { ForecastRequest } from '../engine/forecast/index.js';
import { TASKS } from '../services/thread-tasks.js';
import { createForecastActivities, type ForecastActivityDeps } from './forecast.activities.js';
import { shardMembers } from './forecast-shards.js';
import { createRunActivities } from './runs.activities.js';

// The forecast activities and the run bookkeeping on MockActivityEnvironment with in-memory
// repositories: batching, resume after a retry, heartbeats and cancellation between batches.

const THROUGH = '2026-06-29';
const SET = { id: 9, scopeId: 'phones/east', snapshotId: 4, horizon: 8, startWeek: addWeeks(THROUGH, 1), salesThrough: THROUGH, region: 'east', categories: ['phones'], rules: {} as Record<string, unknown> };

/** `skus` products with 60 weeks of weekly sales each. */
function salesOf(skus: number) {
  return Array.from({ length: skus }, (_, k) =>
    Array.from({ length: 60 }, (_, w) => ({ sku: `P${String(k).padStart(3, '0')}`, week: addWeeks(THROUGH, w - 59), units: 10 + ((w * (k + 3)) % 7), stockout: false })),
  ).flat();
}

type Run = ForecastActivityDeps['pool']['run'];

function fakes(o: { skus?: number; done?: string[]; run?: Run } = {}) {
  const saved: SeriesForecastRow[][] = [];
  const summaries: Array<Record<string, unknown>> = [];
  const requests: ForecastRequest[][] = [];
  const deps: ForecastActivityDeps = {
    snapshots: { salesThrough: async (id) => (id === SET.snapshotId ? THROUGH : undefined) },
    forecasts: {
      createSet: async () => 31,
      getSet: async (id) => (id === SET.id ? SET : undefined) as typeof SET,
      scopeSales: async (_set, skus) => salesOf(o.skus ?? 3).filter((r) => !skus || skus.includes(r.sku)),
      seriesKeys: async () => [...new Set(salesOf(o.skus ?? 3).map((r) => r.sku))],
      // Stored series are the earlier attempts' (`done`) plus what this test's attempts saved.
      doneKeys: async (_id, keys) => new Set([...(o.done ?? []), ...saved.flat().map((r) => r.seriesKey)].filter((k) => !keys || keys.includes(k))),
      saveSeries: async (_id, rows) => (saved.push(rows), rows.length),
      summarise: async (_id, s) => void summaries.push(s),
      productStats: async () => {
        const rows = saved.flat();
        const ok = rows.filter((r) => !r.error);
        const models: Record<string, number> = {};
        for (const r of ok) models[r.model] = (models[r.model] ?? 0) + 1;
        return { ok: ok.length, failed: rows.length - ok.length, models };
      },
    },
    pool: {
      run: (async (task, input) => {
        requests.push(input as ForecastRequest[]);
        return o.run ? o.run(task, input) : TASKS[task](input as never);
      }) as Run,
    },
  };
  return { deps, saved, summaries, requests };
}

const quietEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

/** env.run with the activity's result type (MockActivityEnvironment.run cannot infer it). */
const runIn = <I, O>(env: MockActivityEnvironment, fn: (input: I) => Promise<O>, input: I): Promise<O> => env.run(fn, input) as Promise<O>;

describe('createForecastSet', () => {
  it('starts the set the week after the snapshot’s sales cut-off', async () => {
    const acts = createForecastActivities(fakes().deps);
    const out = await runIn(quietEnv(), acts.createForecastSet, { scopeId: SET.scopeId, snapshotId: SET.snapshotId, runId: 'r', horizonWeeks: 8 });
    expect(out).toEqual({ forecastSetId: 31, startWeek: '2026-07-06' });
  });

  it('refuses a bad horizon and an unknown snapshot non-retryably', async () => {
    const acts = createForecastActivities(fakes().deps);
    const bad = await runIn(quietEnv(), acts.createForecastSet, { scopeId: SET.scopeId, snapshotId: SET.snapshotId, runId: 'r', horizonWeeks: 0 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApplicationFailure);
    expect(bad).toMatchObject({ type: 'InvalidScopeData', nonRetryable: true });
    const missing = await runIn(quietEnv(), acts.createForecastSet, { scopeId: SET.scopeId, snapshotId: 99, runId: 'r', horizonWeeks: 8 }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: 'NotFound', nonRetryable: true });
  });
});

describe('forecastScopeSeries', () => {
  it('forecasts every product not yet stored, stores each batch, and heartbeats progress', async () => {
    const { deps, saved, summaries, requests } = fakes({ skus: 3, done: ['P000'] });
    const env = quietEnv();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const out = await runIn(env, createForecastActivities(deps).forecastScopeSeries, { forecastSetId: SET.id });

    // A retried attempt skips what the last one stored.
    expect(requests.flat().map((r) => r.id)).toEqual(['P001', 'P002']);
    expect(requests[0][0]).toMatchObject({ horizon: 8, season: 52, model: 'auto', levels: [80, 95] });
    expect(requests[0][0].y).toHaveLength(60);
    const rows = saved.flat();
    expect(rows.map((r) => r.seriesKey)).toEqual(['P001', 'P002']);
    for (const r of rows) {
      expect(r.points).toHaveLength(8);
      expect(r.points[0].lo80).toBeLessThanOrEqual(r.points[0].mean);
      expect(r.points[0].lo95).toBeLessThanOrEqual(r.points[0].lo80);
    }
    expect(beats).toEqual([
      { completed: 1, total: 3 },
      { completed: 3, total: 3 },
    ]);
    expect(out.seriesForecast).toBe(2);
    expect(out.seriesFailed).toBe(0);
    expect(summaries).toEqual([{ products: { ok: 2, failed: 0, models: out.models } }]);
  });

  it('stores a series the engine could not forecast as failed instead of failing the batch', async () => {
    const run = (async (_task, input) =>
      (input as ForecastRequest[]).map((r) => (r.id === 'P001' ? { ok: false as const, id: r.id, error: 'too short' } : TASKS.forecastBatch([r])[0]))) as Run;
    const { deps, saved } = fakes({ skus: 2, run });
    const out = await runIn(quietEnv(), createForecastActivities(deps).forecastScopeSeries, { forecastSetId: SET.id });
    expect(saved.flat().find((r) => r.seriesKey === 'P001')).toMatchObject({ model: 'none', error: 'too short', points: [] });
    expect(out).toMatchObject({ seriesForecast: 1, seriesFailed: 1 });
  });

  it('stops between batches when cancelled: batches done are kept, the one in flight is not stored', async () => {
    // 40 products: two batches of 32 and 8. The second batch finishes only after the cancel.
    let releaseSecond!: () => void;
    const secondGate = new Promise<void>((resolve) => (releaseSecond = resolve));
    let calls = 0;
    const run = (async (task, input) => {
      const mine = ++calls;
      if (mine === 2) await secondGate;
      return TASKS[task](input as never);
    }) as Run;
    const { deps, saved } = fakes({ skus: 40, run });
    const env = quietEnv();
    const beats: Array<{ completed: number }> = [];
    env.on('heartbeat', (d: { completed: number }) => beats.push(d));
    const running = runIn(env, createForecastActivities(deps).forecastScopeSeries, { forecastSetId: SET.id });
    await expect.poll(() => saved.length).toBe(1);
    env.cancel();
    releaseSecond();
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(saved.flat()).toHaveLength(32);
    expect(beats.at(-1)).toEqual({ completed: 32, total: 40 });
  });

  it('fails non-retryably for an unknown forecast set', async () => {
    const err = await runIn(quietEnv(), createForecastActivities(fakes().deps).forecastScopeSeries, { forecastSetId: 404 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'NotFound', nonRetryable: true });
  });
});

describe('forecast shards', () => {
  const keysOf = (rows: SeriesForecastRow[][]) => rows.flat().map((r) => r.seriesKey);

  it('plans about seriesPerShard series a shard and refuses a size below 1', async () => {
    const acts = createForecastActivities(fakes({ skus: 40 }).deps);
    expect(await runIn(quietEnv(), acts.planForecastShards, { forecastSetId: SET.id, seriesPerShard: 16 })).toEqual({ shards: 3, series: 40 });
    expect(await runIn(quietEnv(), acts.planForecastShards, { forecastSetId: SET.id, seriesPerShard: 1000 })).toEqual({ shards: 1, series: 40 });
    const bad = await runIn(quietEnv(), acts.planForecastShards, { forecastSetId: SET.id, seriesPerShard: 0 }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ type: 'InvalidScopeData', nonRetryable: true });
  });

  it('forecasts each series in exactly one shard: the shards together cover the scope once', async () => {
    const { deps, saved, requests } = fakes({ skus: 40 });
    const acts = createForecastActivities(deps);
    const outs = [];
    for (let shard = 0; shard < 3; shard++) outs.push(await runIn(quietEnv(), acts.forecastSeriesShard, { forecastSetId: SET.id, shard, shards: 3 }));
    const all = Array.from({ length: 40 }, (_, k) => `P${String(k).padStart(3, '0')}`);
    expect(keysOf(saved).sort()).toEqual(all);
    expect(requests.flat().map((r) => r.id).sort()).toEqual(all);
    outs.forEach((out, shard) => expect(out).toEqual({ shard, series: shardMembers(all, shard, 3).length, forecast: shardMembers(all, shard, 3).length, skipped: 0 }));
    // Each shard read only its own series' sales.
    expect(outs.every((o) => o.series > 0 && o.series < 40)).toBe(true);
  });

  it('a retried shard skips the series its failed attempt stored and stores no series twice', async () => {
    // 80 products; shard 0 of 2 holds about 40 of them: two batches or more, the second fails once.
    let calls = 0;
    const run = (async (task, input) => {
      if (++calls === 2) throw new Error('worker thread exited with code 1');
      return TASKS[task](input as never);
    }) as Run;
    const { deps, saved, requests } = fakes({ skus: 80, run });
    const acts = createForecastActivities(deps);
    const first = await runIn(quietEnv(), acts.forecastSeriesShard, { forecastSetId: SET.id, shard: 0, shards: 2 }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    const storedByFirst = keysOf(saved);
    expect(storedByFirst.length).toBeGreaterThan(0);

    const env = quietEnv();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const requestsBefore = requests.length;
    const second = await runIn(env, acts.forecastSeriesShard, { forecastSetId: SET.id, shard: 0, shards: 2 });

    const members = shardMembers(Array.from({ length: 80 }, (_, k) => `P${String(k).padStart(3, '0')}`), 0, 2);
    expect(members.length).toBeGreaterThan(32);
    const stored = keysOf(saved);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.sort()).toEqual([...members].sort());
    const retried = requests.slice(requestsBefore).flat().map((r) => r.id ?? '');
    expect(retried.filter((k) => storedByFirst.includes(k))).toEqual([]);
    expect(second).toEqual({ shard: 0, series: members.length, forecast: members.length - storedByFirst.length, skipped: storedByFirst.length });
    expect(beats[0]).toEqual({ shard: 0, completed: storedByFirst.length, total: members.length });
    expect(beats.at(-1)).toEqual({ shard: 0, completed: members.length, total: members.length });
  });

  it('refuses a shard number outside 0..shards-1 non-retryably', async () => {
    const acts = createForecastActivities(fakes().deps);
    for (const input of [{ shard: 2, shards: 2 }, { shard: -1, shards: 2 }, { shard: 0, shards: 0 }]) {
      const err = await runIn(quietEnv(), acts.forecastSeriesShard, { forecastSetId: SET.id, ...input }).catch((e: unknown) => e);
      expect(err).toMatchObject({ type: 'InvalidScopeData', nonRetryable: true });
    }
  });

  it('summarises the stored product series of the set once the shards are done', async () => {
    const { deps, summaries } = fakes({ skus: 5 });
    const acts = createForecastActivities(deps);
    await runIn(quietEnv(), acts.forecastSeriesShard, { forecastSetId: SET.id, shard: 0, shards: 1 });
    const out = await runIn(quietEnv(), acts.summariseSeriesForecasts, { forecastSetId: SET.id });
    expect(out).toMatchObject({ seriesForecast: 5, seriesFailed: 0 });
    expect(summaries).toEqual([{ products: { ok: 5, failed: 0, models: out.models } }]);
  });
});

describe('run bookkeeping', () => {
  it('mirrors a run’s start and finish into the runs repository as given', async () => {
    const calls: Array<[string, unknown]> = [];
    const acts = createRunActivities({
      started: async (i) => void calls.push(['started', i]),
      finished: async (i) => void calls.push(['finished', i]),
    });
    const env = quietEnv();
    await runIn(env, acts.recordRunStarted, { workflowId: 'plan/phones/east/cycle-1', scopeId: 'phones/east', kind: 'plan', trigger: 'test' as const });
    await runIn(env, acts.recordRunFinished, { workflowId: 'plan/phones/east/cycle-1', status: 'failed' as const, error: 'no launch plan meets the rules' });
    expect(calls).toEqual([
      ['started', { workflowId: 'plan/phones/east/cycle-1', scopeId: 'phones/east', kind: 'plan', trigger: 'test' }],
      ['finished', { workflowId: 'plan/phones/east/cycle-1', status: 'failed', error: 'no launch plan meets the rules' }],
    ]);
  });
});
