/**
 * `npm run bench:adjust [-- --launched 1000] [--candidates 1000] [--weeks 26] [--baseline 100]
 * [--time-limit S] [--seed N] [--json FILE]`
 *
 * The engine work of one weekly adjust cycle (issue 13 target: 1,000 launched items and 1,000
 * candidates × 26 weeks in < 60 s on 2 cores), on seeded synthetic rows shaped like the ones the
 * repositories return:
 *
 * 1. adjust: for every launched item, what activities/adjust.activities.ts runs per item —
 *    its sales laid out per week after launch, stock from the committed quantity and earlier
 *    orders, then engine/replenishment `adjustLaunchedItem` (the closed loop's curve update,
 *    engine/simulation closedLoopCurveUpdate, with
 *    sold-out weeks censored, tracking signal, (R, S) reorder, the updated curve as points) —
 *    and the early-replan test of the signals against the scope's limit;
 * 2. replan: the plan activity's path — engine/planner `planningScenario` over the rows (the
 *    candidates not yet launched, plus the launched items fixed on their updated curves, as
 *    db/repositories/plan-inputs returns them) and the CPU pool's `planScenario` task
 *    (services/thread-tasks.ts: planLaunches with the scope's solver options, default 20 s MILP
 *    limit), run here on the main thread (the pool runs it on one worker thread just the same).
 *
 * The baseline is the same cycle at `--baseline` launched items and candidates in the same run,
 * so a loaded machine shows in both. Launch rules scale with the candidates (launch capacity,
 * cadence and budget bind at every size). Wall and CPU seconds are printed with the load average.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_REPLENISHMENT_RULES, scopeRulesSchema, type ScopeRules } from '../contracts/scope-rules.js';
import { addWeeks } from '../engine/calendar/index.js';
import { mulberry32 } from '../engine/math/index.js';
import { planningScenario, type PlanningRows } from '../engine/planner/index.js';
import { adjustLaunchedItem } from '../engine/replenishment/index.js';
import { DEFAULT_POLICY_CONFIG, closedLoopCurveUpdate } from '../engine/simulation/index.js';
import { TASKS } from '../services/thread-tasks.js';

const { values } = parseArgs({
  options: {
    launched: { type: 'string', default: '1000' },
    candidates: { type: 'string', default: '1000' },
    weeks: { type: 'string', default: '26' },
    baseline: { type: 'string', default: '100' },
    'time-limit': { type: 'string' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
  },
});
const TARGET_S = 60;
const START = '2027-03-01';
const CATEGORIES = ['audio', 'cameras', 'computing', 'gaming', 'phones', 'smart-home', 'tv', 'wearables'];
const CURVE_WEEKS = 13;

interface Synthetic {
  rows: PlanningRows;
  launched: Array<{
    id: string;
    category: string;
    launchedWeek: string;
    committedQty: number;
    item: { leadTimeWeeks: number; moq: number; price: number; unitCost: number; salvageValue: number };
    curve: { mean: number[]; lo80: number[]; hi80: number[] };
    sales: Array<{ week: string; units: number; stockout: boolean }>;
    orders: Array<{ orderWeek: string; arrivalWeek: string; quantity: number }>;
  }>;
}

/** A 13-week launch curve: a ramp to a peak then decay, with an 80% interval of ±45%. */
function launchCurve(rand: () => number) {
  const scale = 4 + 36 * rand();
  const peak = 1 + Math.floor(3 * rand());
  const mean = Array.from({ length: CURVE_WEEKS }, (_, h) => scale * (h < peak ? (h + 1) / (peak + 1) : Math.exp(-(h - peak) / (4 + 6 * rand()))));
  return { mean, lo80: mean.map((m) => 0.55 * m), hi80: mean.map((m) => 1.45 * m) };
}

function synthesise(launchedCount: number, candidateCount: number, weeks: number, seed: number): Synthetic {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const economics = () => {
    const price = Math.round(20 + 180 * rand());
    const unitCost = Math.round(price * (0.4 + 0.3 * rand()) * 100) / 100;
    return { price, unitCost, salvageValue: Math.round(unitCost * 0.3 * 100) / 100, moq: pick([0, 0, 10, 24, 50]), leadTimeWeeks: int(1, 6) };
  };
  const salesThrough = addWeeks(START, -1);

  // Launched items: on sale since 1..12 weeks before the start, sales per week through the batch
  // at 0.4..2.5 × the curve (sold out where the opening and arrived orders ran out), earlier orders.
  const launched: Synthetic['launched'] = [];
  for (let k = 0; k < launchedCount; k++) {
    const e = economics();
    const curve = launchCurve(rand);
    // Launched by an earlier plan within its rules: round-robin over the last 12 weeks and the categories.
    const observed = 1 + (k % 12);
    const launchedWeek = addWeeks(START, -observed);
    const level = 0.4 + 2.1 * rand();
    const committedQty = Math.max(e.moq, Math.round(curve.mean.slice(0, 4).reduce((a, b) => a + b, 0) * (0.6 + 0.8 * rand())));
    const orders: Synthetic['launched'][number]['orders'] = [];
    if (observed > 2 && rand() < 0.6) {
      const orderWeek = addWeeks(launchedWeek, int(1, observed - 1));
      orders.push({ orderWeek, arrivalWeek: addWeeks(orderWeek, e.leadTimeWeeks), quantity: int(10, 80) });
    }
    let stock = committedQty;
    const sales: Synthetic['launched'][number]['sales'] = [];
    for (let h = 0; h < observed; h++) {
      const week = addWeeks(launchedWeek, h);
      for (const o of orders) if (o.arrivalWeek === week) stock += o.quantity;
      const demand = Math.round(curve.mean[h] * level * (0.7 + 0.6 * rand()));
      const units = Math.min(stock, demand);
      stock -= units;
      sales.push({ week, units, stockout: units < demand });
    }
    launched.push({ id: `L${String(k).padStart(5, '0')}`, category: CATEGORIES[(k + Math.floor(k / 12)) % CATEGORIES.length], launchedWeek, committedQty, item: e, curve, sales, orders });
  }

  const candidates: PlanningRows['candidates'] = [];
  const curves: PlanningRows['curves'] = [];
  for (let k = 0; k < candidateCount; k++) {
    const e = economics();
    const earliest = int(0, weeks - 4);
    const id = `C${String(k).padStart(5, '0')}`;
    candidates.push({
      id, name: `candidate ${k}`, category: pick(CATEGORIES), subcategory: `g${int(0, Math.max(3, Math.round(candidateCount / 4)))}`, ...e,
      earliestWeek: addWeeks(START, earliest), latestWeek: addWeeks(START, Math.min(weeks - 1, earliest + int(4, 16))),
      mustLaunch: false, launchedWeek: null, committedQty: null,
    });
    curves.push({ seriesKey: id, refWeek: START, ...launchCurve(rand), errorCorrelation: 0.5 + 0.4 * rand() });
  }
  for (const l of launched)
    candidates.push({
      id: l.id, name: `launched ${l.id}`, category: l.category, subcategory: `group ${l.id}`, ...l.item,
      earliestWeek: l.launchedWeek, latestWeek: l.launchedWeek, mustLaunch: false, launchedWeek: l.launchedWeek, committedQty: l.committedQty,
    });

  // Three years of weekly category sales with a yearly season, promotions, our and competitors' launches.
  const categoryHistory: PlanningRows['categoryHistory'] = [];
  const ourLaunches: PlanningRows['ourLaunches'] = [];
  const competitorLaunches: PlanningRows['competitorLaunches'] = [];
  const inventory: NonNullable<PlanningRows['inventory']> = [];
  for (const category of CATEGORIES) {
    const base = 500 + 1500 * rand();
    for (let t = -156; t < 0; t++) {
      const week = addWeeks(START, t);
      categoryHistory.push({ category, week, units: Math.round(base * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 52)) * (0.85 + 0.3 * rand())) });
      if (t < -13 && rand() < 0.15) ourLaunches.push({ category, week, units: int(50, 600), unitMargin: 5 + 40 * rand() });
      if (rand() < 0.1) competitorLaunches.push({ category, week });
    }
    for (let s = 0; s < 20; s++) inventory.push({ category, covers: Array.from({ length: 52 }, () => 16 * rand()), weeklyMargin: 20 + 200 * rand() });
  }
  const promotions: PlanningRows['promotions'] = [
    { name: 'spring sale', category: null, startWeek: addWeeks(START, 6), endWeek: addWeeks(START, 7), kind: 'promotion' },
    { name: 'black friday', category: null, startWeek: '2026-11-23', endWeek: '2026-11-30', kind: 'festival' },
  ];

  // Launch rules the earlier plan kept (its launched items fit them) and this one must: launch
  // capacity for a shop launching its ~launched/12 items a week, a cadence per category, and a
  // monthly budget for about half the candidates' opening stock, which binds.
  const perWeek = Math.ceil((1.2 * Math.max(launchedCount, (12 * candidateCount) / weeks)) / 12) + 1;
  const openingSpend = candidates.filter((c) => c.launchedWeek === null).reduce((a, c, k) => a + c.unitCost * curves[k].mean.reduce((x, y) => x + y, 0), 0);
  const rules: ScopeRules = scopeRulesSchema.parse({
    planningWeeks: weeks,
    maxLaunchesPerWeek: perWeek,
    defaultCadence: { maxLaunches: Math.ceil((perWeek * 4) / CATEGORIES.length) + 2, windowWeeks: 4 },
    monthlyBudget: Math.max(1_000, Math.round((0.5 * openingSpend) / (weeks / 4.33))),
    ...(values['time-limit'] ? { solver: { timeLimitSeconds: Number(values['time-limit']), gapTarget: 0.01 } } : {}),
  });
  return {
    launched,
    rows: {
      scopeId: 'electronics/bench', region: 'bench', categories: CATEGORIES, startWeek: START, salesThrough, rules,
      candidates, curves, categoryHistory, promotions,
      parentItems: launched.map((l) => ({ candidateId: l.id, launchWeek: l.launchedWeek, openingQty: l.committedQty })),
      ourLaunches, competitorLaunches, inventory,
    },
  };
}

const weeksBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / (7 * 86_400_000));
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function cycle(launchedCount: number, candidateCount: number, weeks: number, seed: number) {
  const data = synthesise(launchedCount, candidateCount, weeks, seed);
  const rules = data.rows.rules as ScopeRules;
  const throughWeek = data.rows.salesThrough;
  const orderWeek = addWeeks(throughWeek, 1);
  const update = closedLoopCurveUpdate(0.8);
  const replenishment = rules.replenishment ?? DEFAULT_REPLENISHMENT_RULES;

  const t0 = performance.now();
  const c0 = cpuSeconds();
  // 1. The adjust of every launched item, as the activity runs it (its per-item work, no SQL).
  let reorders = 0;
  let units = 0;
  const alarms: string[] = [];
  const updatedCurves = new Map<string, { mean: number[]; lo80: number[]; hi80: number[] }>();
  for (const l of data.launched) {
    const observed = weeksBetween(l.launchedWeek, throughWeek) + 1;
    const sold = new Array<number>(observed).fill(0);
    const censored = new Array<boolean>(observed).fill(false);
    let total = 0;
    for (const s of l.sales) {
      const h = weeksBetween(l.launchedWeek, s.week);
      if (h < 0 || h >= observed) continue;
      sold[h] = s.units;
      censored[h] = s.stockout;
      total += s.units;
    }
    let arrived = 0;
    let onOrder = 0;
    for (const o of l.orders) {
      if (o.orderWeek >= orderWeek) continue;
      if (o.arrivalWeek <= orderWeek) arrived += o.quantity;
      else onOrder += o.quantity;
    }
    const r = adjustLaunchedItem({
      curve: l.curve,
      units: sold,
      censored,
      onHand: Math.max(0, l.committedQty + arrived - total),
      onOrder,
      item: l.item,
      policy: {
        serviceLevel: replenishment.serviceLevel,
        reviewWeeks: replenishment.reviewPeriodWeeks,
        casePack: replenishment.casePack,
        weeklyCorrelation: 0.8,
        distribution: rules.demandUncertainty.distribution,
        seasonEndCap: DEFAULT_POLICY_CONFIG.seasonEndNewsvendor,
        moqBatchHurdle: replenishment.moqBatchHurdle,
        curveSpreadScale: replenishment.curveSpreadScale,
      },
      updateCurve: update,
    });
    if (Math.abs(r.review.tracking.signal) > rules.trackingSignalLimit) alarms.push(l.id);
    if (r.review.decision.qty > 0) {
      reorders++;
      units += r.review.decision.qty;
    }
    updatedCurves.set(l.id, { mean: r.points.map((p) => p.mean), lo80: r.points.map((p) => p.lo80), hi80: r.points.map((p) => p.hi80) });
  }
  const adjustS = (performance.now() - t0) / 1000;

  // 2. The replan: launched items fixed on their updated curves (reference week = launch week), the candidates planned.
  const t1 = performance.now();
  const launchedOf = new Map(data.launched.map((l) => [l.id, l]));
  const rows: PlanningRows = {
    ...data.rows,
    curves: [
      ...data.rows.curves,
      ...[...updatedCurves].map(([seriesKey, c]) => ({ seriesKey, refWeek: launchedOf.get(seriesKey)!.launchedWeek, ...c, errorCorrelation: null })),
    ],
  };
  const { scenario, skipped } = planningScenario(rows);
  const scenarioS = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const plan = await TASKS.planScenario({ scenario, options: rules.solver });
  if (plan.status === 'infeasible') throw new Error(`the replan is infeasible: ${[...plan.conflicts.map((c) => c.message), ...plan.warnings].slice(0, 3).join('; ')}`);
  const planS = (performance.now() - t2) / 1000;
  const totalS = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds() - c0;
  const fixed = plan.items.filter((i) => i.fixed).length;
  return {
    launched: launchedCount,
    candidates: candidateCount,
    weeks,
    seconds: { adjust: adjustS, scenario: scenarioS, plan: planS, total: totalS, cpu: cpuS },
    adjust: { curvesUpdated: updatedCurves.size, reorders, reorderUnits: units, trackingAlarms: alarms.length },
    plan: {
      method: plan.method,
      status: plan.status,
      gap: plan.solver?.gap ?? null,
      timeLimitSeconds: rules.solver.timeLimitSeconds,
      launches: plan.items.length - fixed,
      fixed,
      skipped: skipped.length,
    },
  };
}

const f = (x: number, d = 2) => x.toFixed(d);
const weeks = Number(values.weeks);
const seed = Number(values.seed);
const sizes = [
  { launched: Number(values.baseline), candidates: Number(values.baseline) },
  { launched: Number(values.launched), candidates: Number(values.candidates) },
];
for (const s of sizes) if (!(s.launched >= 1 && s.candidates >= 1 && weeks >= 4)) throw new Error('--launched, --candidates and --baseline must be ≥ 1 and --weeks ≥ 4');

console.log(`bench:adjust — one weekly adjust cycle's engine work (curve updates, tracking signals, reorders, replan), ${availableParallelism()} cores, load ${loadavg().map((l) => f(l)).join(' ')}`);
const runs = [];
for (const s of sizes) {
  const r = await cycle(s.launched, s.candidates, weeks, seed);
  runs.push(r);
  const gap = r.plan.gap === null ? '—' : `${f(100 * r.plan.gap)}%`;
  console.log(
    `${String(r.launched).padStart(5)} launched + ${String(r.candidates).padStart(5)} candidates × ${weeks} wks: ` +
      `adjust ${f(r.seconds.adjust)} s (${r.adjust.curvesUpdated} curves, ${r.adjust.reorders} reorders, ${r.adjust.trackingAlarms} alarms), ` +
      `scenario ${f(r.seconds.scenario)} s, plan ${f(r.seconds.plan)} s (${r.plan.method} ${r.plan.status}, gap ${gap}, ${r.plan.launches} launches + ${r.plan.fixed} fixed, limit ${r.plan.timeLimitSeconds} s); ` +
      `total ${f(r.seconds.total)} s wall, ${f(r.seconds.cpu)} s CPU`,
  );
}
const [base, full] = runs;
const ratio = full.seconds.total / TARGET_S;
console.log(
  `\n${full.launched} + ${full.candidates} × ${weeks}: ${f(full.seconds.total)} s = ${f(ratio, 3)} × the ${TARGET_S} s target (${ratio < 1 ? 'met' : 'NOT met'}); ` +
    `${f(full.seconds.total / base.seconds.total, 1)} × the same-run baseline of ${base.launched} + ${base.candidates} (${f(base.seconds.total)} s); load ${loadavg().map((l) => f(l)).join(' ')}`,
);
if (values.json) {
  writeFileSync(
    values.json,
    JSON.stringify({ targetSeconds: TARGET_S, cores: availableParallelism(), seed, ratioToTarget: ratio, ratioToBaseline: full.seconds.total / base.seconds.total, baseline: base, run: full }, null, 2),
  );
  console.log(`wrote ${values.json}`);
}
