import { writeFile } from 'node:fs/promises';
import { scopeRulesSchema } from '../../contracts/scope-rules.js';
import { toCatalogue } from '../../db/repositories/catalogue.repository.js';
import {
  backtestModel,
  buildColdStartContext,
  heldOutLaunches,
  indicatorCovariates,
  likeItemForecast,
  predictColdStart,
  prepareColdStartDataset,
  promotionCovariates,
  trainColdStartModel,
  withBaselineIntervals,
  type CandidateRow,
  type LaunchForecast,
} from '../../engine/coldstart/index.js';
import { addWeeks } from '../../engine/calendar/index.js';
import { sdFromInterval80 } from '../../engine/math/index.js';
import { estimateErrorCorrelation, type PromotionWindow, type WeeklyTotal } from '../../engine/demand/index.js';
import {
  buildScenario,
  comparePlans,
  configureHighs,
  greedyPlan,
  launchesOfPlan,
  naivePlan,
  planLaunches,
  validateScenario,
  type CandidateInput,
  type ComparisonRow,
  type LaunchCurveInput,
  type Scenario,
  type TruthProvider,
} from '../../engine/planner/index.js';
import { generateMarketplace, type Marketplace } from '../../data/synthetic/index.js';
import { engineOptions } from '../../services/engine-options.js';
import { selectLstmBackend } from '../../services/lstm-runtime.js';
import { parseFlags, positiveInt, UsageError } from '../args.js';

const HELP = `usage: launchloop simulate [--seed N] [--scope ID] [--weeks W] [--horizon H] [--cover C] [--time-limit S] [--demand lstm|like-item] [--indicators] [--with-rules] [--output FILE]

Generates the synthetic marketplace (data/synthetic) and builds a planning scenario for one
scope through the production path: candidate launch curves from the cold-start engine trained
on the scope's sales history (the champion LSTM of the GPU activity, or the like-item baseline),
then activities/plan-scenario.ts buildScenario (calendar multipliers from category history and
promotions) with scope rules from contracts/scope-rules.ts. Plans it with the MILP and the
greedy heuristic, and plays each plan and a naive plan (every candidate at its earliest week
with C weeks of forecast cover) forward against the ground-truth expected demand,
cannibalisation between the plan's own launches included. Prints units sold, revenue, margin,
stock-out weeks, inventory turnover and lift vs naive.
  --weeks W       planning weeks after the history (default 26)
  --horizon H     coverage horizon of an opening order in weeks (default 12)
  --cover C       weeks of cover of the naive plan (default 8)
  --demand M      launch curves: lstm (train the cold-start LSTM, default) or like-item
  --indicators    the cold-start LSTM also reads the market indicators (scope rule
                  coldStart.indicators; promotions and festivals are always read)
  --with-rules    add binding launch rules (capacity, cadence, gap, budget); the naive plan
                  ignores them, so it may then launch more than any rule-abiding plan`;

export const help = HELP;

/** The cold-start activity's forecast horizon (activities/coldstart.activities.ts). */
const COLDSTART_HORIZON = 13;

export type DemandMethod = 'lstm' | 'like-item';

export interface SimulateScenarioOptions {
  scopeId: string;
  weeks: number;
  horizon: number;
  withRules: boolean;
  demand: DemandMethod;
  /** Market indicators as cold-start inputs (the scope rule coldStart.indicators; default off). */
  indicators?: boolean;
  timeLimitSeconds?: number;
  seed?: number;
  log?: (msg: string) => void;
}

/**
 * Launch curves as activities/coldstart.activities.ts forecastCandidates produces them: the
 * cold-start LSTM trained on the scope's sales (or the like-item baseline with its documented
 * dispersion), p10/p90 stored as the 80% interval, refWeek the candidate's first possible week.
 */
async function launchCurves(mk: Marketplace, region: string, categories: string[], startWeek: string, cands: CandidateInput[], o: SimulateScenarioOptions & { horizonOut: number }): Promise<Map<string, LaunchCurveInput>> {
  const inScope = new Set(categories);
  const products = mk.products.filter((p) => inScope.has(p.category));
  const skus = new Set(products.map((p) => p.sku));
  const sales = mk.sales
    .filter((s) => s.region === region && skus.has(s.sku) && s.week <= mk.options.asOf)
    .map((s) => ({ itemId: s.sku, week: s.week, units: s.units }))
    .sort((a, b) => (a.itemId === b.itemId ? a.week.localeCompare(b.week) : a.itemId.localeCompare(b.itemId)));
  const { items, schema } = toCatalogue(
    products
      .map((p) => ({ itemId: p.sku, category: p.category, subcategory: p.subcategory, brand: p.brand, price: p.price, attributes: p.attributes ?? {} }))
      .sort((a, b) => a.itemId.localeCompare(b.itemId)),
  );
  const horizon = o.horizonOut;
  // The calendar as the catalogue repository reads it: the region's promotions in scope, and the
  // indicators published through the sales cut-off.
  const covariates = [
    ...promotionCovariates(mk.promotions.filter((p) => p.region === region && (!p.category || inScope.has(p.category)))),
    ...(o.indicators ? indicatorCovariates(mk.indicators.filter((i) => i.week <= mk.options.asOf)) : []),
  ];
  const context = buildColdStartContext({ sales, items, schema, horizon, categoryColumn: 'category', covariates });
  const attrsOf = new Map(mk.candidates.map((c) => [c.id, c]));
  const rows: CandidateRow[] = cands.map((c) => {
    const m = attrsOf.get(c.id)!;
    return {
      itemId: c.id,
      launchWeek: c.earliestWeek > startWeek ? c.earliestWeek : startWeek,
      attributes: { category: m.category, subcategory: m.subcategory, brand: m.brand, price: m.price, ...(m.attributes ?? {}) },
    };
  });
  let points: LaunchForecast[];
  let spread: { errorCorrelation: number } | undefined;
  if (o.demand === 'lstm') {
    await selectLstmBackend({ logger: { info: () => undefined } });
    const dataset = prepareColdStartDataset(context);
    const model = await trainColdStartModel({ dataset, hyper: o.seed !== undefined ? { seed: o.seed } : {} });
    o.log?.(`cold-start LSTM: best epoch ${model.info.bestEpoch} of ${model.info.epochsRun}, val loss ${model.info.bestValLoss.toFixed(4)}, ${dataset.train.n} training launches`);
    points = predictColdStart(model, rows, context);
    // As the training activity records it: the error spread on the validation launches.
    const measured = backtestModel(model, context, heldOutLaunches(context, dataset.val, dataset.spec.horizon)).errorSpread;
    if (Number.isFinite(measured.rho)) spread = { errorCorrelation: measured.rho };
    o.log?.(`held-out launches: weekly error correlation ${measured.rawRho.toFixed(2)}, sd scale ${measured.sdScale.toFixed(2)} (${measured.launches} launches)`);
  } else {
    const curves = likeItemForecast({ history: context.history, items: context.items, schema: context.schema, candidates: rows, horizon });
    points = withBaselineIntervals(curves, rows.map((r) => r.itemId));
  }
  const out = new Map<string, LaunchCurveInput>();
  for (const r of rows) {
    const pts = points.filter((p) => p.itemId === r.itemId).sort((a, b) => a.step - b.step);
    if (pts.length) out.set(r.itemId, { refWeek: r.launchWeek, mean: pts.map((p) => p.mean), lo80: pts.map((p) => p.p10), hi80: pts.map((p) => p.p90), ...spread });
  }
  return out;
}

/** The scenario the production plan activity would build for `scopeId` of the synthetic marketplace. */
export async function scenarioFromMarketplace(mk: Marketplace, o: SimulateScenarioOptions): Promise<{ scenario: Scenario; curves: Map<string, LaunchCurveInput> }> {
  const scope = mk.scopes.find((s) => s.id === o.scopeId);
  if (!scope) throw new UsageError(`unknown scope "${o.scopeId}" (have ${mk.scopes.map((s) => s.id).join(', ')})`);
  const { region, categories } = scope;
  const W = o.weeks;
  const H = o.horizon;
  const startWeek = addWeeks(mk.options.asOf, 1);
  const candidates: CandidateInput[] = mk.candidates
    .filter((c) => c.scopeId === o.scopeId)
    .map((c) => ({
      id: c.id,
      name: c.name,
      category: c.category,
      subcategory: c.subcategory,
      price: c.price,
      unitCost: c.unitCost,
      salvageValue: c.salvageValue,
      moq: c.moq ?? 0,
      leadTimeWeeks: c.leadTimeWeeks ?? 0,
      earliestWeek: c.earliestWeek,
      latestWeek: c.latestWeek,
      mustLaunch: c.mustLaunch ?? false,
      launchedWeek: c.launchedWeek ?? null,
      committedQty: c.committedQty ?? null,
    }));
  const curves = await launchCurves(mk, region, categories, startWeek, candidates, { ...o, horizonOut: Math.max(COLDSTART_HORIZON, H) });

  // Category history and promotions as the plan-inputs repository reads them.
  const catOf = new Map(mk.products.map((p) => [p.sku, p.category]));
  const totals = new Map<string, Map<string, number>>();
  for (const s of mk.sales) {
    const cat = catOf.get(s.sku);
    if (s.region !== region || !cat || !categories.includes(cat) || s.week > mk.options.asOf) continue;
    const byWeek = totals.get(cat) ?? totals.set(cat, new Map()).get(cat)!;
    byWeek.set(s.week, (byWeek.get(s.week) ?? 0) + s.units);
  }
  const categoryHistory = new Map<string, WeeklyTotal[]>(
    [...totals].map(([cat, m]) => [cat, [...m].sort(([a], [b]) => a.localeCompare(b)).map(([week, units]) => ({ week, units }))]),
  );
  const promotions: Array<PromotionWindow & { name: string }> = mk.promotions
    .filter((p) => p.region === region)
    .map((p) => ({ name: p.name, category: p.category ?? null, startWeek: p.startWeek, endWeek: p.endWeek, recurring: (p.kind ?? 'promotion') === 'festival' }));

  const n = Math.max(1, candidates.length);
  const base = {
    planningWeeks: W,
    coverageWeeks: H,
    cannibalisation: { rate: 0.1, windowWeeks: 4 },
    ...(o.timeLimitSeconds !== undefined ? { solver: { timeLimitSeconds: o.timeLimitSeconds, gapTarget: 0.01 } } : {}),
  };
  // Without --with-rules the planner only chooses items, weeks and quantities (the synthetic
  // scopes carry no rules): the like-for-like comparison with the naive plan. Scope rules have
  // no "off", so capacity and cadence are set above the candidate count and the similar-items
  // gap (minimum 1 week in the schema) is removed from the built scenario.
  const loose = { ...base, maxLaunchesPerWeek: n, defaultCadence: { maxLaunches: n, windowWeeks: 1 } };
  const build = (rules: object) => buildScenario({ scopeId: o.scopeId, startWeek, rules: scopeRulesSchema.parse(rules), candidates, curves, categoryHistory, promotions }).scenario;
  let scenario = build(loose);
  if (o.withRules) {
    // 2 launches a week, 2 per category in any 4 weeks, similar items 2 weeks apart, and a
    // monthly opening-stock budget of 60% of what launching everything would cost.
    const spend = scenario.candidates.reduce((s, c) => s + c.unitCost * Math.max(c.moq, c.curve.mean.reduce((a, b) => a + b, 0)), 0);
    const months = new Set(scenario.weeks.map((w) => w.slice(0, 7))).size;
    scenario = build({
      ...base,
      maxLaunchesPerWeek: 2,
      defaultCadence: { maxLaunches: 2, windowWeeks: 4 },
      minGapSimilarWeeks: 2,
      monthlyBudget: Math.max(1, Math.round((0.6 * spend) / months)),
    });
  } else {
    delete scenario.rules.minGapSimilarWeeks;
  }
  return { scenario: validateScenario({ ...scenario, id: `synthetic-${mk.options.seed}-${o.scopeId}` }), curves };
}

function table(rows: ComparisonRow[]): string {
  const head = ['plan', 'launches', 'units sold', 'revenue', 'margin', 'margin/launch', 'stock-out wks', 'fill rate', 'turnover', 'lift vs naive'];
  const body = rows.map((r) => [
    r.plan,
    String(r.launches),
    r.unitsSold.toFixed(0),
    r.revenue.toFixed(0),
    r.margin.toFixed(0),
    (r.margin / Math.max(1, r.launches)).toFixed(0),
    String(r.stockoutWeeks),
    `${(r.fillRate * 100).toFixed(1)}%`,
    r.turnover.toFixed(2),
    `${(r.liftVsNaive * 100).toFixed(1)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

export async function run(args: string[]): Promise<void> {
  configureHighs(engineOptions().highs);
  const { values } = parseFlags(args, {
    seed: { type: 'string' },
    scope: { type: 'string' },
    weeks: { type: 'string' },
    horizon: { type: 'string' },
    cover: { type: 'string' },
    'time-limit': { type: 'string' },
    output: { type: 'string' },
    'with-rules': { type: 'boolean' },
    indicators: { type: 'boolean' },
    demand: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const seed = positiveInt(values.seed, 'seed', 1);
  const W = positiveInt(values.weeks, 'weeks', 26);
  const H = positiveInt(values.horizon, 'horizon', 12);
  const cover = positiveInt(values.cover, 'cover', 8);
  const timeLimitSeconds = positiveInt(values['time-limit'], 'time-limit', 30);
  const mk = generateMarketplace({ seed, horizonWeeks: Math.max(W + H, 26) });
  const scopeId = values.scope ?? mk.scopes[0].id;
  const demand = (values.demand ?? 'lstm') as DemandMethod;
  if (demand !== 'lstm' && demand !== 'like-item') throw new UsageError(`--demand must be lstm or like-item, got "${values.demand}"`);
  const { scenario, curves } = await scenarioFromMarketplace(mk, {
    scopeId,
    weeks: W,
    horizon: H,
    withRules: values['with-rules'] === true,
    indicators: values.indicators === true,
    demand,
    timeLimitSeconds,
    log: (m) => console.log(m),
  });
  const truth: TruthProvider = {
    demand: (id, w, weeks, launches) =>
      mk.truth.candidateDemand(id, scenario.weeks[w] ?? addWeeks(scenario.weeks[0], w), weeks, {
        launches: launches.map((l) => ({ candidateId: l.candidateId, launchWeek: addWeeks(scenario.weeks[0], l.week) })),
      }),
  };
  // How the curves' errors against the truth spread over the coverage weeks: what the scope
  // rule demandUncertainty.weeklyCorrelation assumes (1 by default).
  const errors = estimateErrorCorrelation(
    [...curves].map(([id, c]) => ({
      mean: c.mean.slice(0, H),
      sd: c.hi80.slice(0, H).map((hi, h) => sdFromInterval80(c.lo80[h], hi)),
      actual: mk.truth.candidateDemand(id, c.refWeek, H),
    })),
  );
  console.log(
    `launch curves vs truth (${errors.launches} launches, first ${H} weeks): weekly error correlation ${errors.rawRho.toFixed(2)} (planner used ${(scenario.demand.weeklyCorrelation ?? 0).toFixed(2)}), sd scale needed at correlation 1: ${errors.sdScale.toFixed(2)}`,
  );
  let absErr = 0;
  let err = 0;
  let sum = 0;
  for (const [id, c] of curves) {
    const actual = mk.truth.candidateDemand(id, c.refWeek, H);
    actual.forEach((a, h) => {
      const f = c.mean[h] ?? 0;
      absErr += Math.abs(f - a);
      err += f - a;
      sum += a;
    });
  }
  console.log(`launch curves vs truth: WAPE ${(absErr / Math.max(sum, 1e-9)).toFixed(3)}, bias ${(err / Math.max(sum, 1e-9)).toFixed(3)} (expected demand at each candidate's reference week, first ${H} weeks)`);
  const milp = await planLaunches(scenario, { timeLimitSeconds });
  const greedy = greedyPlan(scenario);
  const rows = comparePlans(scenario, truth, { naive: naivePlan(scenario, cover), greedy: launchesOfPlan(greedy), milp: launchesOfPlan(milp) });
  console.log(`scope ${scopeId}, ${scenario.candidates.length} candidates (${demand} curves), ${W} weeks from ${scenario.weeks[0]}, coverage ${H} weeks; seed ${seed}`);
  console.log(`milp: ${milp.method}/${milp.status}${milp.solver ? ` (${milp.solver.status}, gap ${milp.solver.gap === null ? 'n/a' : `${(milp.solver.gap * 100).toFixed(2)}%`})` : ''}${milp.fallbackReason ? `; ${milp.fallbackReason}` : ''}`);
  for (const c of milp.conflicts) console.log(`conflict (${c.rule}): ${c.message}`);
  console.log(table(rows));
  if (values.output) await writeFile(values.output, `${JSON.stringify({ scenarioId: scenario.id, rows, milp, greedy }, null, 2)}\n`);
}
