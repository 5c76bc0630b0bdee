/**
 * A stored plan of a chosen size without running the loop: the small synthetic marketplace with
 * one scope of `items` candidates, a forecast set with a 13-week launch curve per candidate and
 * a published plan launching each of them. bench:load reads it under load; the API tests read
 * its items, demand totals and forecast points, which are known here by construction.
 */
import type { Database } from '../db/client.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import { planInputsRepository } from '../db/repositories/plan-inputs.repository.js';
import { plansRepository } from '../db/repositories/plans.repository.js';
import { snapshotsRepository } from '../db/repositories/snapshots.repository.js';
import { loadMarketplace } from '../data/load.js';
import { generateMarketplace } from '../data/synthetic/index.js';
import { addWeeks } from '../engine/calendar/index.js';

export const FIXTURE_SCOPE = 'electronics/east';
export const CURVE_WEEKS = 13;

/** The launch curve stored for the k-th candidate: a decaying mean with fixed-ratio bounds. */
export function fixtureCurve(k: number): Array<{ step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }> {
  return Array.from({ length: CURVE_WEEKS }, (_, s) => {
    const mean = (20 + (k % 17)) * Math.exp(-s / 6);
    return { step: s + 1, mean, lo80: mean * 0.6, hi80: mean * 1.5, lo95: mean * 0.4, hi95: mean * 1.9 };
  });
}

/** Opening quantity of the k-th item: its expected sales are capped by it. */
export const fixtureOpeningQty = (k: number) => 60 + (k % 40);

export async function seedPlan(
  database: Database,
  o: { items: number; status?: 'draft' | 'published' },
): Promise<{ planId: number; forecastSetId: number; startWeek: string; candidateIds: string[] }> {
  const marketplace = generateMarketplace({ seed: 11, productsPerCategory: 6, candidatesPerScope: o.items, weeks: 60 });
  await loadMarketplace(database, marketplace, { replace: true });
  const candidates = (await planInputsRepository(database).candidates(FIXTURE_SCOPE)).slice(0, o.items);
  if (candidates.length < o.items) throw new Error(`the synthetic scope ${FIXTURE_SCOPE} has ${candidates.length} candidates, fewer than ${o.items}`);
  const snapshot = await snapshotsRepository(database).create(FIXTURE_SCOPE);
  const forecasts = forecastsRepository(database);
  const startWeek = addWeeks(snapshot.salesThrough, 1);
  const forecastSetId = await forecasts.createSet({ scopeId: FIXTURE_SCOPE, snapshotId: snapshot.id, runId: 'fixture/plan', horizon: 26, startWeek, method: 'fixture' });
  await forecasts.saveSeries(
    forecastSetId,
    candidates.map((c, k) => ({ seriesKey: c.id, kind: 'candidate' as const, model: 'fixture', params: {}, points: fixtureCurve(k) })),
  );
  const plans = plansRepository(database);
  const { id } = await plans.create({
    scopeId: FIXTURE_SCOPE,
    runId: 'fixture/plan',
    forecastSetId,
    method: 'fixture',
    objective: 1,
    gap: null,
    summary: { reason: 'fixture', launches: o.items },
    diff: null,
    items: candidates.map((c, k) => {
      const openingQty = fixtureOpeningQty(k);
      return {
        candidateId: c.id,
        launchWeek: addWeeks(startWeek, k % 26),
        openingQty,
        expectedUnits: openingQty * 0.8,
        unitsLo: openingQty * 0.5,
        unitsHi: openingQty,
        expectedMargin: 1000 + k,
        rationale: [`Launch ${c.name} in week ${(k % 26) + 1} with ${openingQty} units: a rationale of realistic length for the page.`],
        fixed: false,
      };
    }),
  });
  if ((o.status ?? 'published') === 'published') {
    const refused = await plans.decide({ planId: id, to: 'published', by: 'fixture' });
    if (refused) throw new Error(`could not publish the fixture plan: ${refused.message}`);
  }
  return { planId: id, forecastSetId, startWeek, candidateIds: candidates.map((c) => c.id) };
}
