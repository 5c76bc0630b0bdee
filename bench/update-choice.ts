/**
 * `npm run bench:update-choice [-- --seeds 5 --first-seed 1 --terms replay|own --skip-real --skip-synthetic]`
 *
 * Can a scope choose its in-season curve update from its own past launches? The closed loop's
 * level update (closedLoopCurveUpdate) wins bench:kpi's synthetic seeds, engine/demand's
 * updateLaunchCurve (demandCurveUpdate, DEFAULT_CURVE_UPDATE) wins the real-shop replay
 * (engine/simulation/README.md, "Which update"). Here each shop replays its own past launches,
 * the ones inside its history whose whole season ends before the history's last week, with the
 * closed loop under each update, and the update with the higher replay margin is the one the
 * scope would choose.
 *
 * Past launches are built time-honestly as bench:curve-update builds its calibration launches:
 * the history is cut every 4 weeks (the first cut 8 weeks after the data starts), the items first
 * sold in the 4 weeks after a cut are launches (engine/coldstart timeHonestSplit, burn-in 4
 * weeks), their prior is the like-item forecast from the history before the cut with the
 * baseline's spread sd = sqrt(m + (0.6 m)²), and their demand is what they sold (as the
 * real-shop replay takes it: sold-out weeks cannot be told apart). Launches with fewer sold
 * weeks in the data than a season, or an all-zero prior (nothing like them sold before), are
 * left out.
 *
 * Shops: the real one (../shared/data/coldstart-dev: or-dev-sales.csv, the history before the
 * 202 replayed launches; seasons of 13 weeks, like-item k = 10 as in bench/kpi-replay.ts) and
 * bench:kpi's synthetic scope (electronics/east of generateMarketplace({ seed }), the region's
 * sales of the scope's categories up to asOf, seasons of 12 weeks, like-item with the defaults
 * cli simulate uses). Costs: `--terms replay` (default) the replay's assumptions for every shop
 * (cost 60% of price, salvage half the cost, holding 25% a year, lead time 2 weeks, no MOQ);
 * `--terms own` gives the synthetic products their own unit cost and lead time, salvage 0.35 of
 * cost (the generator's candidates draw 0.2–0.5), holding 0.004 of cost a week (the scope rules'
 * default) and the median MOQ of the scope's candidates of the same category (past products carry
 * none).
 *
 * `--synthetic-demand realized`: the synthetic shop's history is the generator's realised demand
 * instead of its sales (no stock-outs: what an uncensored history would hold), priors and past
 * launches alike; a check that censoring is not what spoils the choice.
 *
 * `--forward`: per synthetic seed, also bench:kpi's forward measure (the scope planned as
 * bench:kpi plans it without binding rules, like-item curves, 2 s MILP, and the closed loop
 * simulated on the realised demand under each update): the update with the higher closed-loop
 * margin there is the seed's right answer; without it every synthetic seed is scored against the
 * level update (the one that wins bench:kpi's medians).
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { toCatalogue } from '../db/repositories/catalogue.repository.js';
import { inferSchema, parseCsv, parseItems, parseSales } from '../data/formats/catalogue-csv.js';
import { generateMarketplace } from '../data/synthetic/index.js';
import { addWeeks, weeksBetween } from '../engine/calendar/index.js';
import { buildColdStartContext, likeItemForecast, type AttributeSchema, type ItemRow, type SalesRow } from '../engine/coldstart/index.js';
import { scenarioFromMarketplace } from '../cli/commands/simulate.js';
import { configureHighs, planLaunches, type TruthProvider } from '../engine/planner/index.js';
import { simulatePolicies } from '../engine/simulation/index.js';
import { engineOptions } from '../services/engine-options.js';
import { DEFAULT_REPLAY_ASSUMPTIONS, demandCurveUpdate, lifts, replayPolicies, type ClosedLoopKpis, type PolicyConfig, type ReplayLaunch } from '../engine/simulation/index.js';
import { timeHonestLaunches, withBaselineSpread } from './time-honest-launches.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    'first-seed': { type: 'string', default: '1' },
    terms: { type: 'string', default: 'replay' },
    'skip-real': { type: 'boolean', default: false },
    'skip-synthetic': { type: 'boolean', default: false },
    forward: { type: 'boolean', default: false },
    'synthetic-demand': { type: 'string', default: 'sales' },
  },
});
const seeds = Number(values.seeds);
const firstSeed = Number(values['first-seed']);
if (!Number.isInteger(seeds) || seeds < 0) throw new Error(`--seeds must be a whole number ≥ 0, got ${values.seeds}`);
if (values['synthetic-demand'] !== 'sales' && values['synthetic-demand'] !== 'realized') throw new Error(`--synthetic-demand must be sales or realized, got ${values['synthetic-demand']}`);
if (values.terms !== 'replay' && values.terms !== 'own') throw new Error(`--terms must be replay or own, got ${values.terms}`);
const DEV = path.resolve(import.meta.dirname, '../../shared/data/coldstart-dev');

interface Shop {
  sales: SalesRow[];
  items: ItemRow[];
  schema: AttributeSchema;
  horizon: number;
  likeItemK?: number;
  price: (itemId: string) => number;
  category: (itemId: string) => string;
  terms?: (itemId: string) => ReplayLaunch['terms'];
}

/** The shop's past launches with a whole season inside its history (see the header). */
async function pastLaunches(shop: Shop): Promise<ReplayLaunch[]> {
  const weeks = shop.sales.map((s) => s.week).sort();
  const start = weeks[0];
  const end = weeks[weeks.length - 1];
  const H = shop.horizon;
  const cuts: string[] = [];
  for (let cut = addWeeks(start, 8); addWeeks(cut, H - 1) <= end; cut = addWeeks(cut, 4)) cuts.push(cut);
  const launches = (
    await timeHonestLaunches(shop, cuts, { horizon: H, launchWeeks: 4 }, (split) => {
      const ctx = buildColdStartContext({ sales: split.sales, items: split.items, schema: shop.schema, horizon: H });
      const forecast = likeItemForecast({ history: ctx.history, items: split.items, schema: shop.schema, candidates: split.candidates, horizon: H }, shop.likeItemK ? { k: shop.likeItemK } : {});
      return new Map([...forecast].map(([id, mean]) => [id, withBaselineSpread(mean.slice(0, H))]));
    })
  ).filter((l) => l.actual.length >= H && shop.price(l.itemId) > 0);
  const first = launches.map((l) => l.launchWeek).sort()[0];
  return launches.map((l) => {
    const terms = shop.terms?.(l.itemId);
    return {
      id: l.itemId,
      category: shop.category(l.itemId),
      launchWeek: weeksBetween(first, l.launchWeek),
      price: shop.price(l.itemId),
      forecast: l.prior,
      sold: l.actual,
      ...(terms ? { terms } : {}),
    };
  });
}

interface UpdateRun {
  closed: ClosedLoopKpis;
  naive: ClosedLoopKpis;
}

function replayBoth(launches: ReplayLaunch[]): { level: UpdateRun; demand: UpdateRun } {
  const run = (config: Partial<PolicyConfig>): UpdateRun => {
    const r = replayPolicies(launches, DEFAULT_REPLAY_ASSUMPTIONS, config);
    return { closed: r['closed-loop'].kpis, naive: r.naive.kpis };
  };
  return { level: run({}), demand: run({ updateCurve: demandCurveUpdate() }) };
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

const picks = { level: 0, demand: 0 };

function report(name: string, launches: ReplayLaunch[], expected: 'level' | 'demand', synthetic: boolean): boolean {
  const t0 = Date.now();
  const { level, demand } = replayBoth(launches);
  const chosen = demand.closed.margin > level.closed.margin ? 'demand' : 'level';
  if (synthetic) picks[chosen]++;
  const show = (u: UpdateRun) => {
    const l = lifts(u.closed, u.naive);
    return `margin ${u.closed.margin.toFixed(0)} (${pct(l.margin)} vs naive), turnover ${u.closed.turnover.toFixed(2)} (${pct(l.turnover)}), units ${u.closed.unitsSold.toFixed(0)} (${pct(l.sales)})`;
  };
  console.log(`${name}: ${launches.length} past launches (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(`  level  ${show(level)}`);
  console.log(`  demand ${show(demand)}`);
  console.log(`  chooses ${chosen} (margin demand/level ${(demand.closed.margin / level.closed.margin).toFixed(3)}); the update that wins this shop's forward measure: ${expected}: ${chosen === expected ? 'RIGHT' : 'WRONG'}`);
  return chosen === expected;
}

function realShop(): Shop {
  const csv = (f: string) => parseCsv(readFileSync(path.join(DEV, f), 'utf8'), f);
  const itemsTable = csv('or-dev-items.csv');
  const schema = inferSchema(itemsTable);
  const items = parseItems(itemsTable, schema);
  const attrs = new Map(items.map((i) => [i.itemId, i.attributes]));
  return {
    sales: parseSales(csv('or-dev-sales.csv')),
    items,
    schema,
    horizon: 13,
    likeItemK: 10,
    price: (id) => Number(attrs.get(id)?.price),
    category: (id) => String(attrs.get(id)?.category ?? ''),
  };
}

function syntheticShop(seed: number): Shop {
  // As bench:kpi generates it (26 planning weeks + 12-week seasons).
  const mk = generateMarketplace({ seed, horizonWeeks: 38 });
  const scope = mk.scopes[0];
  const inScope = new Set(scope.categories);
  const products = mk.products.filter((p) => inScope.has(p.category));
  const skus = new Set(products.map((p) => p.sku));
  const realized = values['synthetic-demand'] === 'realized';
  const sales = mk.sales.flatMap((s, i) =>
    s.region === scope.region && skus.has(s.sku) && s.week <= mk.options.asOf ? [{ itemId: s.sku, week: s.week, units: realized ? mk.truth.salesDemand.realized[i] : s.units }] : [],
  );
  const { items, schema } = toCatalogue(
    products.map((p) => ({ itemId: p.sku, category: p.category, subcategory: p.subcategory, brand: p.brand, price: p.price, attributes: (p.attributes ?? {}) as Record<string, string | number> })).sort((a, b) => a.itemId.localeCompare(b.itemId)),
  );
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const moqs = new Map<string, number[]>();
  for (const c of mk.candidates.filter((x) => x.scopeId === scope.id)) moqs.set(c.category, [...(moqs.get(c.category) ?? []), c.moq ?? 0]);
  const medianMoq = (cat: string) => {
    const xs = [...(moqs.get(cat) ?? [0])].sort((a, b) => a - b);
    return xs[Math.floor((xs.length - 1) / 2)];
  };
  return {
    sales,
    items,
    schema,
    horizon: 12,
    price: (id) => bySku.get(id)!.price,
    category: (id) => bySku.get(id)!.category,
    ...(values.terms === 'own'
      ? {
          terms: (id: string) => {
            const p = bySku.get(id)!;
            const unitCost = p.unitCost ?? p.price * 0.6;
            return { unitCost, salvageValue: 0.35 * unitCost, holdingCostPerWeek: 0.004 * unitCost, leadTimeWeeks: mk.truth.products[id].leadTimeWeeks, moq: medianMoq(p.category) };
          },
        }
      : {}),
  };
}

/** bench:kpi's forward measure on one seed (no binding rules): closed-loop margin under each update. */
async function forward(seed: number): Promise<{ level: number; demand: number }> {
  const mk = generateMarketplace({ seed, horizonWeeks: 38 });
  const { scenario } = await scenarioFromMarketplace(mk, { scopeId: mk.scopes[0].id, weeks: 26, horizon: 12, withRules: false, demand: 'like-item', timeLimitSeconds: 2, seed });
  const plan = await planLaunches(scenario, { timeLimitSeconds: 2 });
  const truth: TruthProvider = {
    demand: (id, w, weeks, launches) =>
      mk.truth.candidateDemand(id, addWeeks(scenario.weeks[0], w), weeks, {
        launches: launches.map((l) => ({ candidateId: l.candidateId, launchWeek: addWeeks(scenario.weeks[0], l.week) })),
      }),
  };
  const margin = (config: Partial<PolicyConfig>) => simulatePolicies({ scenario, plan, truth, noise: { seed, shape: mk.truth.noise.shape }, config }, ['closed-loop'])['closed-loop'].kpis.margin;
  return { level: margin({}), demand: margin({ updateCurve: demandCurveUpdate() }) };
}

if (values.forward) configureHighs(engineOptions().highs);
const t0 = Date.now();
console.log(`bench:update-choice — closed-loop replay of each shop's own past launches, level vs demand update (terms: ${values.terms}; synthetic history: ${values['synthetic-demand']})`);
let right = 0;
let total = 0;
if (!values['skip-real']) {
  total++;
  if (report('real shop (coldstart-dev history)', await pastLaunches(realShop()), 'demand', false)) right++;
}
if (!values['skip-synthetic'])
  for (let s = firstSeed; s < firstSeed + seeds; s++) {
    total++;
    let expected: 'level' | 'demand' = 'level';
    if (values.forward) {
      const f = await forward(s);
      expected = f.demand > f.level ? 'demand' : 'level';
      console.log(`synthetic seed ${s} forward (bench:kpi, no rules): closed-loop margin level ${f.level.toFixed(0)}, demand ${f.demand.toFixed(0)} (demand/level ${(f.demand / f.level).toFixed(3)})`);
    }
    if (report(`synthetic seed ${s} (electronics/east history)`, await pastLaunches(syntheticShop(s)), expected, true)) right++;
  }
console.log(`\nsynthetic seeds: the replay chooses level on ${picks.level}, demand on ${picks.demand}`);
console.log(`right choice in ${right} of ${total} shops${values.forward ? '' : ' (synthetic seeds scored against the level update; --forward scores each against its own winner)'} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
