import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createColdStartActivities } from '../activities/coldstart.activities.js';
import { createSnapshotActivities } from '../activities/snapshot.activities.js';
import type { Database } from '../db/client.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import { importCsvTexts } from '../data/import/importer.js';
import { toCsv } from '../data/import/write.js';
import { loadMarketplace } from '../data/load.js';
import { generateMarketplace } from '../data/synthetic/index.js';
import { freshDatabases } from './helpers.js';

// forecastCandidates (the loop's candidate stage) on a real database: the same scope forecast
// before and after its pre-launch signals are imported.

const fresh = freshDatabases();
const SCOPE = 'electronics/east';
const market = generateMarketplace({ seed: 7, productsPerCategory: 20, candidatesPerScope: 16, weeks: 130, regions: ['east'] });

async function forecastSet(database: Database, runId: string) {
  // MockActivityEnvironment.run loses the activity's result type.
  const { snapshotId } = (await new MockActivityEnvironment().run(createSnapshotActivities(database).snapshotScope, { scopeId: SCOPE })) as { snapshotId: number };
  const forecasts = forecastsRepository(database);
  const setId = await forecasts.createSet({ scopeId: SCOPE, snapshotId, runId, horizon: 13, startWeek: market.options.asOf, method: 'test' });
  await new MockActivityEnvironment().run(createColdStartActivities({ database, backend: 'test' }).forecastCandidates, { forecastSetId: setId });
  const points = await forecasts.points(setId, 'candidate');
  const [set] = await database.sql<{ summary: { candidates: Record<string, unknown> } }[]>`select summary from forecast_sets where id = ${setId}`;
  const params = await database.sql<{ seriesKey: string; params: Record<string, unknown> }[]>`
    select series_key as "seriesKey", params from forecast_series where set_id = ${setId} and kind = 'candidate'`;
  const curves = new Map<string, Array<(typeof points)[number]>>();
  for (const p of points) curves.set(p.seriesKey, [...(curves.get(p.seriesKey) ?? []), p]);
  return { curves, summary: set.summary.candidates, params: new Map(params.map((r) => [r.seriesKey, r.params])) };
}

describe('pre-launch signals in the loop', () => {
  it('leave the forecast as it was without signals, and move the candidates that have them once imported', async () => {
    const database = await fresh();
    await loadMarketplace(database, { ...market, prelaunchSignals: [] });
    const before = await forecastSet(database, 'run-without');
    expect(before.summary.prelaunch).toBeUndefined();
    expect([...before.params.values()].every((p) => p.prelaunch === undefined)).toBe(true);

    // The signals arrive through the import, as a shop's export would.
    const { inserted } = await importCsvTexts(database, { prelaunchSignals: { file: 'prelaunch_signals.csv', text: toCsv({ prelaunchSignals: market.prelaunchSignals }).prelaunchSignals! } });
    expect(inserted.prelaunchSignals).toBe(market.prelaunchSignals.length);

    const after = await forecastSet(database, 'run-with');
    const withSignals = new Set(market.prelaunchSignals.map((r) => r.itemId));
    const candidates = market.candidates.map((c) => c.id);
    const moved = candidates.filter((id) => after.params.get(id)?.prelaunch !== undefined);
    expect(after.summary.prelaunch).toMatchObject({ adjusted: moved.length, withSignals: candidates.filter((id) => withSignals.has(id)).length });
    expect(moved.length).toBeGreaterThan(5);
    for (const id of candidates) {
      if (moved.includes(id)) {
        expect(withSignals.has(id)).toBe(true);
        const f = (after.params.get(id)!.prelaunch as { factor: number }).factor;
        // The whole curve scaled by the factor recorded with it (rounded to 4 decimals there).
        after.curves.get(id)!.forEach((p, s) => expect(p.mean / before.curves.get(id)![s].mean).toBeCloseTo(f, 3));
      } else expect(after.curves.get(id)).toEqual(before.curves.get(id));
    }
    // Candidates without signals keep exactly the curve they had.
    expect(candidates.some((id) => !withSignals.has(id))).toBe(true);
  }, 120_000);
});
