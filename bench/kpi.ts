/**
 * bench:kpi — the closed-loop KPI proof of issue 13 §4: for each seed of the synthetic
 * marketplace, the scope's scenario is built through the production path (cli/commands/simulate
 * scenarioFromMarketplace: cold-start curves, buildScenario, scope rules), planned, and the four
 * policies (naive with its reorder rule, naive-no-reorder, open-loop, closed-loop; see
 * engine/simulation/README.md) are played week by week on the same realised demand (the
 * truth's expected demand with the generator's negative-binomial noise, common random numbers).
 * Prints per policy the median, 10th percentile and a bootstrap 90% interval (of the median) of
 * each lift over `naive`, without and with binding rules.
 *
 *   npm run bench:kpi [-- --seeds 30 --first-seed 1 --scope electronics/east
 *                        --demand like-item|lstm --time-limit 2 --rules both|on|off
 *                        --service 0.8 --opening-service 0.65
 *                        --update level|demand-calibrated|demand-interval|demand
 *                        --noise-cv 1 --smoothing H --roughness LO,HI --smooth-remaining H
 *                        --tail-weight P --tail-scale S
 *                        --resize --verbose --json FILE]
 *
 * --noise-cv, --smoothing, --roughness, --smooth-remaining, --tail-weight, --tail-scale: the
 * default level update's settings (PolicyConfig noiseCv, levelSmoothing, levelSmoothingRoughness,
 * levelSmoothRemaining, levelTailWeight, levelTailScale) for the synthetic runs and the replay, to measure a variant of what the
 * adjust stage runs (measured variants: engine/simulation/README.md, "Curve updates").
 *
 * --resize: the closed loop re-sizes opening orders on its category's sales so far (policies.ts
 * resizeFromCategory; off by default, see there).
 *
 * --update chooses the closed loop's curve update: `level` (engine/simulation closedLoopCurveUpdate,
 * the default and what the adjust stage runs: on seeds 1–30 sales +16.4% against +3.8%, margin
 * p10 +6.5% against −5.6% for `demand`), or engine/demand's updateLaunchCurve with its current
 * DEFAULT_CURVE_UPDATE (`demand`), its prior shape from the curve's interval
 * (`demand-interval`), or the parameters calibrateCurveUpdate chose on the like-item launches of
 * seeds 101–110 (`demand-calibrated`: priorShape 16, dispersion 4, recency 0.6, noiseShape 3, after engine/demand's a14aa09).
 *
 * Then the real-shop replay (bench/kpi-replay.ts; --skip-replay skips it): the real launches of
 * ../shared/data/coldstart-dev stocked by naive and the closed loop.
 *
 * --json FILE writes the shape of issue 13 for the run without binding rules, and the same shape
 * for the run with binding rules to FILE with `.with-rules` before its extension; `replay` holds
 * each policy's units sold (`sales`), fill rate, turnover and margin (not lifts).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { scenarioFromMarketplace, type DemandMethod } from '../cli/commands/simulate.js';
import { generateMarketplace } from '../data/synthetic/index.js';
import { addWeeks } from '../engine/calendar/index.js';
import { configureHighs, planLaunches, type TruthProvider } from '../engine/planner/index.js';
import { LIFT_KPIS, POLICIES, REPLAY_POLICIES, demandCurveUpdate, type ReplayPolicy, lifts, simulatePolicies, summariseLifts, type ClosedLoopKpis, type LiftKpi, type PolicyName } from '../engine/simulation/index.js';
import { engineOptions } from '../services/engine-options.js';
import { realShopReplay } from './kpi-replay.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '30' },
    'first-seed': { type: 'string', default: '1' },
    scope: { type: 'string' },
    demand: { type: 'string', default: 'like-item' },
    'time-limit': { type: 'string', default: '2' },
    weeks: { type: 'string', default: '26' },
    horizon: { type: 'string', default: '12' },
    rules: { type: 'string', default: 'both' },
    json: { type: 'string' },
    service: { type: 'string' },
    'opening-service': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    update: { type: 'string', default: 'level' },
    resize: { type: 'boolean', default: false },
    'skip-replay': { type: 'boolean', default: false },
    'ramp-bias': { type: 'boolean', default: false },
    'noise-cv': { type: 'string' },
    smoothing: { type: 'string' },
    'tail-weight': { type: 'string' },
    'tail-scale': { type: 'string' },
    roughness: { type: 'string' },
    'smooth-remaining': { type: 'string' },
  },
});

const seeds = Number(values.seeds);
const firstSeed = Number(values['first-seed']);
const timeLimit = Number(values['time-limit']);
const W = Number(values.weeks);
const H = Number(values.horizon);
const demand = values.demand as DemandMethod;
if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds must be a whole number ≥ 1, got ${values.seeds}`);
if (demand !== 'like-item' && demand !== 'lstm') throw new Error(`--demand must be like-item or lstm, got ${values.demand}`);
if (!(timeLimit > 0)) throw new Error(`--time-limit must be > 0, got ${values['time-limit']}`);
if (values.update !== 'demand' && values.update !== 'level' && values.update !== 'demand-interval' && values.update !== 'demand-calibrated') throw new Error(`--update must be demand, demand-calibrated, demand-interval or level, got ${values.update}`);
const updateCurve =
  values.update === 'demand' ? demandCurveUpdate() : values.update === 'demand-interval' ? demandCurveUpdate({ priorShape: 'from-interval' }) : values.update === 'demand-calibrated' ? demandCurveUpdate({ priorShape: 16, dispersion: 4, recency: 0.6, noiseShape: 3 }) : undefined;
const serviceLevel = values.service === undefined ? undefined : Number(values.service);
const openingServiceLevel = values['opening-service'] === undefined ? undefined : Number(values['opening-service']);
const ruleModes = values.rules === 'both' ? [false, true] : values.rules === 'on' ? [true] : values.rules === 'off' ? [false] : null;
if (!ruleModes) throw new Error(`--rules must be both, on or off, got ${values.rules}`);

configureHighs(engineOptions().highs);

interface SeedRun {
  seed: number;
  kpis: Record<PolicyName, ClosedLoopKpis>;
  planMethod: string;
}

async function runSeed(seed: number, withRules: boolean): Promise<SeedRun> {
  const mk = generateMarketplace({ seed, horizonWeeks: Math.max(W + H, 26) });
  const scopeId = values.scope ?? mk.scopes[0].id;
  const { scenario } = await scenarioFromMarketplace(mk, { scopeId, weeks: W, horizon: H, withRules, demand, timeLimitSeconds: timeLimit, seed });
  const plan = await planLaunches(scenario, { timeLimitSeconds: timeLimit });
  const truth: TruthProvider = {
    demand: (id, w, weeks, launches) =>
      mk.truth.candidateDemand(id, addWeeks(scenario.weeks[0], w), weeks, {
        launches: launches.map((l) => ({ candidateId: l.candidateId, launchWeek: addWeeks(scenario.weeks[0], l.week) })),
      }),
  };
  const results = simulatePolicies({ scenario, plan, truth, noise: { seed, shape: mk.truth.noise.shape }, config: policyConfig });
  const kpis = Object.fromEntries(POLICIES.map((p) => [p, results[p].kpis])) as Record<PolicyName, ClosedLoopKpis>;
  if (values.verbose) {
    const l = lifts(kpis['closed-loop'], kpis.naive);
    console.log(`seed ${seed}${withRules ? ' (rules)' : ''}: closed-loop vs naive sales ${pct(l.sales)}, fill ${pct(l.fillRate)}, turnover ${pct(l.turnover)}, margin ${pct(l.margin)} (naive ${kpis.naive.margin.toFixed(0)}, closed ${kpis['closed-loop'].margin.toFixed(0)}, open ${kpis['open-loop'].margin.toFixed(0)})`);
  }
  return { seed, kpis, planMethod: `${plan.method}/${plan.status}` };
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

interface LiftJson {
  median: number;
  p10: number;
}

function summarise(runs: SeedRun[], label: string) {
  const out: Record<string, Record<LiftKpi, LiftJson>> = {};
  console.log(`\n${label}: ${runs.length} seeds, lift over naive (with its reorder rule): median, p10, bootstrap 90% interval of the median, share of seeds > 0`);
  const head = ['policy', ...LIFT_KPIS.map((k) => k.padStart(8))];
  console.log(head.join('  '));
  for (const p of POLICIES.filter((x) => x !== 'naive')) {
    const row: string[] = [];
    out[p] = {} as Record<LiftKpi, LiftJson>;
    for (const k of LIFT_KPIS) {
      const s = summariseLifts(runs.map((r) => lifts(r.kpis[p], r.kpis.naive)[k]), { seed: 7 });
      out[p][k] = { median: s.median, p10: s.p10 };
      row.push(`${k} ${pct(s.median)} (p10 ${pct(s.p10)}, 90% [${pct(s.ci90[0])}, ${pct(s.ci90[1])}], ${(s.positiveShare * 100).toFixed(0)}% > 0)`);
    }
    console.log(`${p}:\n  ${row.join('\n  ')}`);
  }
  // Where naive already serves ≥ 90%, the fill-rate target is halving its unmet demand instead.
  const unmetRatio = runs.map((r) => (1 - r.kpis['closed-loop'].fillRate) / Math.max(1e-9, 1 - r.kpis.naive.fillRate));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`closed-loop unmet demand / naive unmet demand: median ${median(unmetRatio).toFixed(2)}`);
  for (const p of POLICIES) {
    const ks = runs.map((r) => r.kpis[p]);
    console.log(
      `  ${p.padEnd(17)} mean fill ${(mean(ks.map((k) => k.fillRate)) * 100).toFixed(1)}%, turnover ${mean(ks.map((k) => k.turnover)).toFixed(2)}, margin ${mean(ks.map((k) => k.margin)).toFixed(0)}, units ${mean(ks.map((k) => k.unitsSold)).toFixed(0)}, stock-out wks ${mean(ks.map((k) => k.stockoutWeeks)).toFixed(1)}/${mean(ks.map((k) => k.itemWeeks)).toFixed(0)}, peak capital ${mean(ks.map((k) => k.peakCapital)).toFixed(0)}, reorders ${mean(ks.map((k) => k.reorders)).toFixed(1)}, leftover ${mean(ks.map((k) => k.leftoverUnits)).toFixed(0)}, purchase ${mean(ks.map((k) => k.purchaseCost)).toFixed(0)}, launches ${mean(ks.map((k) => k.launches)).toFixed(1)}`,
    );
  }
  const share = (f: (r: SeedRun) => boolean) => runs.filter(f).length / runs.length;
  const closedBeatsOpen = {
    margin: share((r) => r.kpis['closed-loop'].margin > r.kpis['open-loop'].margin),
    turnover: share((r) => r.kpis['closed-loop'].turnover > r.kpis['open-loop'].turnover),
  };
  console.log(`closed loop beats open loop: margin in ${(closedBeatsOpen.margin * 100).toFixed(0)}% of seeds, turnover in ${(closedBeatsOpen.turnover * 100).toFixed(0)}%`);
  const methods = new Map<string, number>();
  for (const r of runs) methods.set(r.planMethod, (methods.get(r.planMethod) ?? 0) + 1);
  console.log(`plans: ${[...methods].map(([m, n]) => `${m} ×${n}`).join(', ')}`);
  return { seeds: runs.length, lift: { 'closed-loop': out['closed-loop'], 'open-loop': out['open-loop'] }, closedBeatsOpen, replay: null as ReplayJson | null };
}

type ReplayJson = Record<'closed-loop' | 'naive', { sales: number; fillRate: number; turnover: number; margin: number }>;

async function replay(): Promise<ReplayJson> {
  const { launches, results } = await realShopReplay(policyConfig);
  const kpi = (p: ReplayPolicy) => ({ sales: results[p].kpis.unitsSold, fillRate: results[p].kpis.fillRate, turnover: results[p].kpis.turnover, margin: results[p].kpis.margin });
  console.log(`\nreal-shop replay: ../shared/data/coldstart-dev, ${launches} real launches of 2010, 13 weeks each, demand = observed sales (sold-out weeks not told apart), cost 60% of price, salvage 50% of cost, holding 25%/year, lead time 2 weeks`);
  const naive = results.naive.kpis;
  for (const p of REPLAY_POLICIES) {
    const k = results[p].kpis;
    const l = lifts(k, naive);
    console.log(
      `  ${p.padEnd(17)} units ${k.unitsSold.toFixed(0)} (${pct(l.sales)}), fill ${(k.fillRate * 100).toFixed(1)}%, turnover ${k.turnover.toFixed(2)} (${pct(l.turnover)}), margin ${k.margin.toFixed(0)} (${pct(l.margin)}), stock-out wks ${k.stockoutWeeks}/${k.itemWeeks}, peak capital ${k.peakCapital.toFixed(0)}`,
    );
  }
  return { 'closed-loop': kpi('closed-loop'), naive: kpi('naive') };
}

const SYNTHETIC_LIKE_ITEM_RAMP_BIAS = [-0.377, -0.276, -0.243, -0.214, -0.161, -0.116, -0.077, -0.051];
/** The level update's settings from --noise-cv, --smoothing, --smooth-remaining, --tail-weight, --tail-scale (--roughness is read apart: a range; unset: the closed loop's defaults). */
const num = (flag: 'noise-cv' | 'smoothing' | 'smooth-remaining' | 'tail-weight' | 'tail-scale'): number | undefined => {
  const v = values[flag];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0) throw new Error(`--${flag} must be a number ≥ 0, got ${v}`);
  return x;
};
const levelSettings = Object.fromEntries(
  Object.entries({ noiseCv: num('noise-cv'), levelSmoothing: num('smoothing'), levelSmoothRemaining: num('smooth-remaining'), levelTailWeight: num('tail-weight'), levelTailScale: num('tail-scale') }).filter(([, v]) => v !== undefined),
);
const band = values.roughness?.split(',').map(Number);
if (band && (band.length !== 2 || !band.every((x) => Number.isFinite(x) && x >= 0))) throw new Error(`--roughness must be LO,HI, got ${values.roughness}`);
const policyConfig = { ...levelSettings, ...(band ? { levelSmoothingRoughness: [band[0], band[1]] as const } : {}), ...(values['ramp-bias'] ? { rampBias: SYNTHETIC_LIKE_ITEM_RAMP_BIAS } : {}), resizeFromCategory: values.resize === true, ...(serviceLevel !== undefined ? { serviceLevel } : {}), ...(openingServiceLevel !== undefined ? { openingServiceLevel } : {}), ...(updateCurve ? { updateCurve } : {}) };
const t0 = Date.now();
console.log(`bench:kpi — ${seeds} seeds from ${firstSeed}, ${demand} curves, ${W} planning weeks, ${H}-week seasons, planner time limit ${timeLimit} s`);
const reports: Record<string, unknown> = {};
for (const withRules of ruleModes) {
  const runs: SeedRun[] = [];
  for (let s = firstSeed; s < firstSeed + seeds; s++) runs.push(await runSeed(s, withRules));
  reports[withRules ? 'with-rules' : 'no-rules'] = summarise(runs, withRules ? 'with binding rules' : 'without binding rules');
}
const replayJson = values['skip-replay'] ? null : await replay();
for (const r of Object.values(reports)) (r as { replay: ReplayJson | null }).replay = replayJson;
console.log(`\n${((Date.now() - t0) / 1000).toFixed(0)} s`);
if (values.json) {
  const main = reports['no-rules'] ?? reports['with-rules'];
  await writeFile(values.json, `${JSON.stringify(main, null, 2)}\n`);
  if (reports['no-rules'] && reports['with-rules']) {
    const file = values.json.replace(/(\.[^./]*)?$/, (ext) => `.with-rules${ext || ''}`);
    await writeFile(file, `${JSON.stringify(reports['with-rules'], null, 2)}\n`);
  }
}
