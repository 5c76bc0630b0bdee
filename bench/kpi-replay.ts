/**
 * The real-shop replay of bench:kpi (issue 13 §4): the launches of ../shared/data/coldstart-dev
 * (UCI Online Retail II, a UK giftware shop: or-dev-candidates.csv launched in 2010, their weekly
 * sales in or-dev-truth.csv, steps 1–13 from the launch week) stocked by the naive policy and by
 * the closed loop (engine/simulation replay.ts). Forecasts are the like-item cold-start baseline
 * (k = 10) over the shop's history in or-dev-sales.csv, with the baseline's documented spread
 * sd = sqrt(m + (0.6 m)²), as bench:curve-update builds its real priors.
 *
 * Assumptions (the data has prices only): unit cost 60% of price, salvage half the unit cost,
 * holding 25% of cost a year, supplier lead time 2 weeks, no MOQ. Demand = sales (sold-out weeks
 * cannot be told apart: a lower bound for every policy alike).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inferSchema, parseCandidates, parseCsv, parseItems, parseSales } from '../data/formats/catalogue-csv.js';
import { addWeeks } from '../engine/calendar/index.js';
import { buildColdStartContext, likeItemForecast, toCurves } from '../engine/coldstart/index.js';
import { DEFAULT_REPLAY_ASSUMPTIONS, replayPolicies, type PolicyConfig, type ReplayLaunch, type ReplayPolicy, type SimulationResult } from '../engine/simulation/index.js';

const HORIZON = 13;
const DEV = path.resolve(import.meta.dirname, '../../shared/data/coldstart-dev');

export async function realShopReplay(config: Partial<PolicyConfig> = {}): Promise<{ launches: number; results: Record<ReplayPolicy, SimulationResult> }> {
  const csv = (f: string) => parseCsv(readFileSync(path.join(DEV, f), 'utf8'), f);
  const itemsTable = csv('or-dev-items.csv');
  const schema = inferSchema(itemsTable);
  const items = parseItems(itemsTable, schema);
  const sales = parseSales(csv('or-dev-sales.csv'));
  const candidates = parseCandidates(csv('or-dev-candidates.csv'), schema);
  const t = csv('or-dev-truth.csv');
  const truth = toCurves(t.rows.map((r) => ({ itemId: r.cells[0], step: Number(r.cells[1]), value: Number(r.cells[2]) })));
  const ctx = buildColdStartContext({ sales, items, schema, horizon: HORIZON });
  const forecast = likeItemForecast({ history: ctx.history, items, schema, candidates, horizon: HORIZON }, { k: 10 });
  const first = candidates.map((c) => c.launchWeek).sort()[0];
  const launches: ReplayLaunch[] = [];
  for (const c of candidates) {
    const mean = forecast.get(c.itemId);
    const sold = truth.get(c.itemId);
    const price = Number(c.attributes.price);
    if (!mean || !sold || !(price > 0)) continue;
    let week = 0;
    while (addWeeks(first, week) < c.launchWeek) week++;
    const m = mean.slice(0, HORIZON);
    launches.push({
      id: c.itemId,
      category: String(c.attributes.category ?? ''),
      launchWeek: week,
      price,
      forecast: { mean: m, sd: m.map((x) => Math.sqrt(x + (0.6 * x) ** 2)) },
      sold: Array.from({ length: m.length }, (_, h) => (Number.isFinite(sold[h]) ? sold[h] : 0)),
    });
  }
  return { launches: launches.length, results: replayPolicies(launches, DEFAULT_REPLAY_ASSUMPTIONS, config) };
}
