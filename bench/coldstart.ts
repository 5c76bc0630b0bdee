/**
 * `npm run bench:coldstart [-- --sets dev,synthetic] [--cheap] [--seed S] [--cuts LIST] [--launch-weeks N] [--priors 20,100] [--data DIR --prefix P] [--level-evidence] [--json FILE]`
 *
 * Cold start over rolling cut-offs (issue 16). Each cut's history is what was sold before it;
 * the items first sold in the N weeks from it (default 8) are its launches, scored on the weeks
 * of their first 13 that the data holds (timeHonestSplit). Sets:
 * - `dev`: the real shop (../shared/data/coldstart-dev, UCI Online Retail II, history
 *   2009-11-30..2010-06-28) cut every 4 weeks from 2010-02-01, plus the dev cut itself
 *   (2010-07-05: the 202 Jul–Oct 2010 candidates, scored on or-dev-truth.csv);
 * - `synthetic`: the synthetic marketplace (seed 7; trend, seasonality, promotions), cut every
 *   8 weeks over the last 72 of its 160 weeks, so cuts fall in every season, each seen once or
 *   twice by the history.
 * Per cut: WAPE, bias, WAPE of launch totals and 10–90% coverage of the references (global
 * median launch curve, like-item, category share; their band is withBaselineIntervals') and of
 * the models: like-item and the LSTM as they are, with the conformal band of
 * engine/coldstart/recalibration.ts ("band only"), and with its level too. Like-item is
 * recalibrated on its own inner cuts, the LSTM on its validation launches forecast from the
 * history before them (--cheap skips the LSTM). Targets: |bias| ≤ 0.15 in every cut, coverage
 * 0.75–0.85, WAPE ≤ 0.95 × the best reference. --level-evidence adds, per cut, how concentrated
 * the batch is and what like-item's bias would be after levels known before the cut
 * (levelEvidence). This file only reads the data and prints.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseCsv } from '../data/formats/catalogue-csv.js';
import {
  buildColdStartContext,
  categoryShareForecast,
  globalMedianForecast,
  launchMetrics,
  likeItemForecast,
  predictColdStart,
  prepareColdStartDataset,
  fitRecalibration,
  innerCutLaunches,
  launchesSince,
  calibrationLaunchesOf,
  historyLevels,
  type CalibrationLaunch,
  recalibratePoints,
  validationLaunches,
  type RecalibrationOptions,
  timeHonestSplit,
  toCurves,
  trainColdStartModel,
  withBaselineIntervals,
  addWeeks,
  promotionCovariates,
  type AttributeSchema,
  type CandidateRow,
  type CovariateRow,
  type ColdStartContext,
  type ItemRow,
  type LaunchForecast,
  type LaunchForecaster,
  type LaunchMetrics,
  type SalesRow,
} from '../engine/coldstart/index.js';
import { readCatalogue } from '../services/catalogue-files.js';
import { selectLstmBackend } from '../services/lstm-runtime.js';

const { values } = parseArgs({
  options: {
    cheap: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    /** Comma-separated ISO Mondays inside the history, plus `dev` for the dev cut. */
    cuts: { type: 'string', default: '2010-02-01,2010-03-01,2010-03-29,2010-04-26,2010-05-24,dev' },
    /** Which sets: dev (the real shop) and/or synthetic (160 weeks: cuts every 8 weeks over its last 72). */
    sets: { type: 'string', default: 'dev,synthetic' },
    json: { type: 'string' },
    /**
     * Another export of a shop in the same format (`<prefix>-sales.csv`, `<prefix>-items.csv`;
     * `-candidates.csv` and `-truth.csv` only for the `dev` cut), e.g. a longer one to cut over a
     * whole year with --cuts.
     */
    data: { type: 'string' },
    prefix: { type: 'string', default: 'or-dev' },
    /** Also fit the level on up to 3 earlier 8-week windows, each forecast by an LSTM trained before it. */
    'inner-models': { type: 'boolean', default: false },
    /** Pseudo-launches shrinking the recalibrated level towards 1, one variant each. */
    priors: { type: 'string', default: '20' },
    /**
     * Per cut, what a level could do for like-item: how concentrated the batch is, the level it
     * needed, and the bias left by levels known before the cut (see levelEvidence).
     */
    'level-evidence': { type: 'boolean', default: false },
    /** Launch weeks scored per in-history cut. */
    'launch-weeks': { type: 'string', default: '8' },
  },
});
const HORIZON = 13;
const LAUNCH_WEEKS = Number(values['launch-weeks']);
const DEV = path.resolve(values.data ?? path.join(import.meta.dirname, '../../shared/data/coldstart-dev'));
const PREFIX = values.prefix;
const devFile = (kind: string): string => path.join(DEV, `${PREFIX}-${kind}.csv`);
const seed = Number(values.seed);
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');

interface Cut {
  name: string;
  covariates?: CovariateRow[];
  sales: SalesRow[];
  items: ItemRow[];
  schema: AttributeSchema;
  candidates: CandidateRow[];
  truth: Map<string, number[]>;
}

interface Scored {
  method: string;
  m: LaunchMetrics;
  coverage: number;
  note?: string;
}

const REFERENCES = ['global median', 'like-item', 'category share'];

function coverage(points: readonly LaunchForecast[], truth: Map<string, number[]>): number {
  let inside = 0;
  let n = 0;
  for (const p of points) {
    const a = truth.get(p.itemId)?.[p.step - 1];
    if (a === undefined) continue;
    n++;
    if (a >= p.p10 && a <= p.p90) inside++;
  }
  return n > 0 ? inside / n : Number.NaN;
}

function scored(method: string, points: readonly LaunchForecast[], truth: Map<string, number[]>, note?: string): Scored {
  const mean = toCurves(points.map((p) => ({ itemId: p.itemId, step: p.step, value: p.mean })));
  return { method, m: launchMetrics(mean, truth), coverage: coverage(points, truth), ...(note ? { note } : {}) };
}

const baseline =
  (curves: (ctx: ColdStartContext, rows: CandidateRow[]) => Map<string, number[]>): LaunchForecaster =>
  (ctx, rows) =>
    withBaselineIntervals(curves(ctx, rows), rows.map((r) => r.itemId));
const input = (ctx: ColdStartContext, rows: CandidateRow[]) => ({ history: ctx.history, items: ctx.items, schema: ctx.schema, candidates: rows, horizon: HORIZON });
const likeItem = baseline((ctx, rows) => likeItemForecast(input(ctx, rows), { k: 10 }));

/** Recalibration variants compared: the conformal band alone, and with the level at two shrinkages. */
const VARIANTS: Array<{ name: string; o: RecalibrationOptions }> = [
  { name: 'band only', o: { prior: Number.POSITIVE_INFINITY } },
  ...values.priors.split(',').map((p) => ({ name: `level (prior ${p}) + band`, o: { prior: Number(p) } })),
];

async function lstm(ctx: ColdStartContext, rows: CandidateRow[], truth: Map<string, number[]>): Promise<Scored[]> {
  const dataset = prepareColdStartDataset(ctx);
  const model = await trainColdStartModel({ dataset, hyper: { seed } });
  const raw = predictColdStart(model, rows, ctx);
  const out = [scored('LSTM (as trained)', raw, truth)];
  const cal = validationLaunches(model, ctx, dataset.val);
  for (const v of VARIANTS) {
    const r = fitRecalibration(cal, v.o);
    out.push(scored(`LSTM, ${v.name}`, recalibratePoints(r, raw), truth, `level ×${r.level.toFixed(2)}, ${r.launches} val launches (raw bias there ${r.rawBias.toFixed(2)})`));
  }
  if (values['inner-models']) {
    // The level over several earlier windows, each forecast by a model trained before it: the
    // systematic part of the error with less of one batch's level in it (one training per window).
    const pooled: CalibrationLaunch[] = [];
    const T = ctx.history.weeks;
    for (let k = 1; k <= 3; k++) {
      const from = T - 8 * k;
      if (from <= 0) break;
      const inner = launchesSince(ctx, from, from + 8);
      if (inner.rows.length === 0 || inner.context.history.launches.length < 20) continue;
      const m = await trainColdStartModel({ dataset: prepareColdStartDataset(inner.context), hyper: { seed } });
      pooled.push(...calibrationLaunchesOf(predictColdStart(m, inner.rows, inner.context), inner.actual));
    }
    for (const v of VARIANTS.slice(1)) {
      const r = fitRecalibration(pooled, v.o);
      out.push(scored(`LSTM, ${v.name}, 3 inner models`, recalibratePoints(r, raw), truth, `level ×${r.level.toFixed(2)}, ${r.launches} launches of inner cuts (raw bias there ${r.rawBias.toFixed(2)})`));
    }
  }
  return out;
}

/** A level known before the cut, and what it leaves on the cut's launches. */
interface LevelTry {
  name: string;
  level: number;
  bias: number;
  /** WAPE after the level / best reference's WAPE. */
  ratio: number;
}

interface Evidence {
  cut: string;
  launches: number;
  /** Shares of the cut's scored units sold by its largest launch and its largest three. */
  top1: number;
  top3: number;
  rawBias: number;
  rawRatio: number;
  /** The lowest WAPE / best reference of like-item times any level in e^-3..e^2 (after the fact). */
  bestRatio: number;
  /** Σ actual / Σ forecast on the cut itself: the level it needed (not known before it). */
  needed: number;
  tries: LevelTry[];
}

/**
 * Like-item's error on one cut split into what a single multiplicative level could fix and
 * what it could not, and the levels a forecaster could have known at the cut:
 * - `previous 8 weeks`: Σ actual / Σ forecast of the launches of the 8 weeks before the cut,
 *   each forecast from the history before it, over the weeks sold before the cut (the previous
 *   batch, time-honest; unshrunk);
 * - `4 inner cuts`: the same over four inner cuts 4 weeks apart (what `like-item, level` uses,
 *   here without the prior);
 * - `recent launches`: units per launch-week of the launches of the last 13 weeks over those of
 *   all launches in the history (recentLaunchLevel / globalLaunchLevel; no forecaster);
 * - `shop trend`: the shop's weekly units over the last 8 weeks over its mean in the weeks the
 *   history's launches were selling (like-item copies those launches' curves);
 * - `shop trend × season`: that times the shop's week-of-year profile over the cut's launch
 *   weeks against the 8 weeks before the cut (SeasonalIndex; where the history has not seen
 *   those weeks of the year, an interpolation around the year).
 */
function levelEvidence(c: Cut, ctx: ColdStartContext, li: readonly LaunchForecast[], bestWape: number): Evidence {
  const curves = toCurves(li.map((p) => ({ itemId: p.itemId, step: p.step, value: p.mean })));
  const raw = launchMetrics(curves, c.truth);
  let sumA = 0;
  const totals: number[] = [];
  for (const a of c.truth.values()) {
    const t = a.reduce((x, y) => x + y, 0);
    totals.push(t);
    sumA += t;
  }
  totals.sort((a, b) => b - a);
  const sumF = (raw.bias + 1) * sumA;
  const tryLevel = (name: string, level: number): LevelTry => {
    const scaled = new Map([...curves].map(([id, v]) => [id, v.map((x) => x * level)]));
    const m = launchMetrics(scaled, c.truth);
    return { name, level, bias: m.bias, ratio: m.wape / bestWape };
  };
  const unshrunk = { prior: 0, maxLevel: 1e6 };
  const tries: LevelTry[] = [];
  // Too early a cut has no earlier launches to score: no level (×1).
  const fitted = (name: string, launches: readonly CalibrationLaunch[]): LevelTry =>
    launches.length > 0 ? tryLevel(name, fitRecalibration(launches, unshrunk).level) : { ...tryLevel(name, 1), level: Number.NaN };
  tries.push(fitted('previous 8 weeks', innerCutLaunches(ctx, likeItem, { cuts: 1, spacing: LAUNCH_WEEKS, minLaunches: 10 })));
  tries.push(fitted('4 inner cuts', innerCutLaunches(ctx, likeItem, { cuts: 4, spacing: 4, minLaunches: 10 })));
  const known = historyLevels(ctx, LAUNCH_WEEKS + HORIZON - 1);
  tries.push(tryLevel('recent launches', known.recentLaunches));
  tries.push(tryLevel('shop trend', known.shopTrend));
  tries.push(tryLevel('shop trend × season', known.shopTrendSeason));
  // The lowest WAPE any level reaches (after the fact): the edge a level could buy at best.
  let bestRatio = Number.POSITIVE_INFINITY;
  for (let k = -60; k <= 40; k++) bestRatio = Math.min(bestRatio, tryLevel('', Math.exp(k / 20)).ratio);
  return {
    cut: c.name,
    launches: c.truth.size,
    bestRatio,
    top1: (totals[0] ?? 0) / sumA,
    top3: totals.slice(0, 3).reduce((a, b) => a + b, 0) / sumA,
    rawBias: raw.bias,
    rawRatio: raw.wape / bestWape,
    needed: sumF > 0 ? sumA / sumF : Number.NaN,
    tries,
  };
}

const evidence: Evidence[] = [];

async function scoreCut(c: Cut): Promise<Scored[]> {
  const ctx = buildColdStartContext({ sales: c.sales, items: c.items, schema: c.schema, horizon: HORIZON, covariates: c.covariates });
  const rows = c.candidates;
  const ids = rows.map((r) => r.itemId);
  const out: Scored[] = [
    scored('global median', withBaselineIntervals(globalMedianForecast(input(ctx, rows)), ids), c.truth),
    scored('like-item', likeItem(ctx, rows), c.truth),
    scored('category share', withBaselineIntervals(categoryShareForecast(input(ctx, rows)), ids), c.truth),
  ];
  const cal = innerCutLaunches(ctx, likeItem, { cuts: 4, spacing: 4, minLaunches: 10 });
  const li = likeItem(ctx, rows);
  for (const v of VARIANTS) {
    const r = fitRecalibration(cal, v.o);
    out.push(scored(`like-item, ${v.name}`, recalibratePoints(r, li), c.truth, `level ×${r.level.toFixed(2)}, ${r.launches} launches of inner cuts (raw bias there ${r.rawBias.toFixed(2)})`));
  }
  if (values['level-evidence']) evidence.push(levelEvidence(c, ctx, li, Math.min(...out.slice(0, REFERENCES.length).map((r) => r.m.wape))));
  if (!values.cheap) out.push(...(await lstm(ctx, rows, c.truth)));
  return out;
}

async function devCuts(): Promise<Cut[]> {
  const withDev = values.cuts.split(',').some((c) => c.trim() === 'dev');
  const cat = await readCatalogue({ sales: devFile('sales'), items: devFile('items'), ...(withDev ? { candidates: devFile('candidates') } : {}) });
  const cuts: Cut[] = [];
  for (const name of values.cuts.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (name === 'dev') {
      const t = parseCsv(readFileSync(devFile('truth'), 'utf8'), `${PREFIX}-truth.csv`);
      const truth = toCurves(t.rows.map((r) => ({ itemId: r.cells[0], step: Number(r.cells[1]), value: Number(r.cells[2]) })));
      cuts.push({ name: '2010-07-05 (dev candidates)', sales: cat.sales, items: cat.items, schema: cat.schema, candidates: cat.candidates, truth });
      continue;
    }
    const split = timeHonestSplit({ sales: cat.sales, items: cat.items, cut: name, horizon: HORIZON, launchWeeks: LAUNCH_WEEKS });
    cuts.push({ name, ...split, schema: cat.schema });
  }
  return cuts;
}

const SYNTHETIC_SCHEMA: AttributeSchema = {
  columns: ['category', 'subcategory', 'brand', 'region', 'price'],
  kinds: { category: 'categorical', subcategory: 'categorical', brand: 'categorical', region: 'categorical', price: 'numeric' },
};

/**
 * The synthetic marketplace (seed 7; trend, seasonality, promotions and festivals) cut every 8
 * weeks over the last 72 of its 160-week history: every cut's launches meet a season its
 * history has seen once or twice. Promotions are planned ahead, so they are covariates.
 */
async function syntheticCuts(): Promise<Cut[]> {
  const { generateMarketplace } = await import('../data/synthetic/index.js');
  const m = generateMarketplace({ seed: 7 });
  const asOf = m.options.asOf;
  const items: ItemRow[] = [];
  for (const p of m.products)
    for (const region of m.options.regions)
      items.push({ itemId: `${p.sku}@${region}`, attributes: { category: p.category, subcategory: p.subcategory, brand: p.brand, region, price: p.price } });
  const sales = m.sales.filter((r) => r.week <= asOf).map((r) => ({ itemId: `${r.sku}@${r.region}`, week: r.week, units: r.units }));
  const covariates = promotionCovariates(m.promotions, { matchRegion: 'region' });
  return [72, 64, 56, 48, 40, 32, 24, 16].map((k) => {
    const cut = addWeeks(asOf, -k);
    const split = timeHonestSplit({ sales, items, cut, horizon: HORIZON, launchWeeks: 8 });
    return { name: `synthetic ${cut}`, ...split, schema: SYNTHETIC_SCHEMA, covariates };
  });
}

const sign = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}` : '—');

/**
 * The level evidence per cut, and per set: the bias the previous cut's needed level would have
 * left (an oracle: that level is only known 13 weeks after the previous cut).
 */
function printEvidence(): void {
  const names = evidence[0].tries.map((t) => t.name);
  console.log('\n## Like-item: what a level known before the cut leaves (bias, level in brackets; ✓ = |bias| ≤ 0.15 and WAPE ≤ 0.95 × best reference)\n');
  console.log(`| cut | launches | top 1 / top 3 share of units | raw bias (WAPE ratio) | needed level | lowest WAPE ratio, any level | previous cut's needed level (oracle) | ${names.join(' | ')} | best of these |`);
  console.log(`|---|---|---|---|---|---|---|${names.map(() => '---|').join('')}---|`);
  const met = new Map(names.map((n) => [n, 0]));
  const small = new Map(names.map((n) => [n, 0]));
  let bestMet = 0;
  evidence.forEach((e, i) => {
    const prevCut = i > 0 && e.cut.startsWith('synthetic') === evidence[i - 1].cut.startsWith('synthetic') ? evidence[i - 1] : undefined;
    const oracle = prevCut ? `${sign(prevCut.needed * (e.rawBias + 1) - 1)} (×${prevCut.needed.toFixed(2)})` : '—';
    const cells = e.tries.map((t) => {
      const ok = Math.abs(t.bias) <= 0.15 && t.ratio <= 0.95;
      if (Number.isFinite(t.level) && Math.abs(t.bias) <= 0.15) small.set(t.name, (small.get(t.name) ?? 0) + 1);
      if (ok && Number.isFinite(t.level)) met.set(t.name, (met.get(t.name) ?? 0) + 1);
      return Number.isFinite(t.level) ? `${sign(t.bias)} (×${t.level.toFixed(2)})${ok ? ' ✓' : ''}` : '—';
    });
    const best = e.tries.filter((t) => Number.isFinite(t.level)).reduce((a, b) => (Math.abs(b.bias) < Math.abs(a.bias) ? b : a));
    if (Math.abs(best.bias) <= 0.15) bestMet++;
    console.log(
      `| ${e.cut.replace(' (dev candidates)', '')} | ${e.launches} | ${(100 * e.top1).toFixed(0)}% / ${(100 * e.top3).toFixed(0)}% | ${sign(e.rawBias)} (${e.rawRatio.toFixed(2)}) | ×${e.needed.toFixed(2)} | ${e.bestRatio.toFixed(2)} | ${oracle} | ${cells.join(' | ')} | ${sign(best.bias)} (${best.name}; WAPE ratio ${best.ratio.toFixed(2)}) |`,
    );
  });
  console.log(`\nCuts with |bias| ≤ 0.15 and WAPE ≤ 0.95 × best reference: ${names.map((n) => `${n} ${met.get(n)}`).join(', ')} of ${evidence.length}.`);
  console.log(`Cuts with |bias| ≤ 0.15 alone: ${names.map((n) => `${n} ${small.get(n)}`).join(', ')}; the best of them per cut (chosen after the fact) ${bestMet}.`);
}

async function main(): Promise<void> {
  const sets = values.sets.split(',');
  if (!values.cheap) await selectLstmBackend({ logger: { info: () => undefined } });
  console.log(`# Cold start over rolling cut-offs (coldstart-dev; seed ${seed}; launches of ${LAUNCH_WEEKS} weeks per in-history cut)\n`);
  const all: Array<{ cut: string; candidates: number; actual: number; rows: Scored[] }> = [];
  const cuts: Cut[] = [];
  if (sets.includes('dev')) {
    if (existsSync(DEV)) cuts.push(...(await devCuts()));
    else console.log(`(${DEV} not found)`);
  }
  if (sets.includes('synthetic')) cuts.push(...(await syntheticCuts()));
  for (const c of cuts) {
    const t0 = performance.now();
    const rows = await scoreCut(c);
    let actual = 0;
    for (const a of c.truth.values()) for (const v of a) actual += v;
    all.push({ cut: c.name, candidates: c.candidates.length, actual, rows });
    const best = Math.min(...rows.filter((r) => REFERENCES.includes(r.method)).map((r) => r.m.wape));
    console.log(`## cut ${c.name}: ${c.candidates.length} launches scored (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    console.log('| method | WAPE | vs best reference | bias | WAPE of totals | 10–90% coverage | note |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows)
      console.log(`| ${r.method} | ${f3(r.m.wape)} | ${((r.m.wape / best - 1) * 100).toFixed(1)}% | ${f3(r.m.bias)} | ${f3(r.m.totalWape)} | ${f3(r.coverage)} | ${r.note ?? ''} |`);
    console.log('');
  }
  const methods = all[0]?.rows.map((r) => r.method).filter((m) => !REFERENCES.includes(m)) ?? [];
  console.log('## Targets per cut (|bias| ≤ 0.15, coverage 0.75–0.85, WAPE ≤ 0.95 × best reference)\n');
  console.log(`| method | ${all.map((a) => a.cut.replace(' (dev candidates)', '')).join(' | ')} | cuts meeting all three |`);
  console.log(`|---|${all.map(() => '---|').join('')}---|`);
  for (const m of methods) {
    let met = 0;
    const cells = all.map((a) => {
      const r = a.rows.find((x) => x.method === m)!;
      const best = Math.min(...a.rows.filter((x) => REFERENCES.includes(x.method)).map((x) => x.m.wape));
      const ok = [Math.abs(r.m.bias) <= 0.15, r.coverage >= 0.75 && r.coverage <= 0.85, r.m.wape <= 0.95 * best];
      if (ok.every(Boolean)) met++;
      return `${f3(r.m.bias)} / ${f3(r.coverage)} / ${f3(r.m.wape / best)}${ok.map((o) => (o ? '✓' : '✗')).join('')}`;
    });
    console.log(`| ${m} (bias / coverage / WAPE ratio) | ${cells.join(' | ')} | ${met} of ${all.length} |`);
  }
  // Per-cut bias mixes a systematic error with the level of each cut's batch of launches;
  // pooled over cuts (weighted by their units) the batch noise partly cancels.
  const setOf = (cut: string): string => (cut.startsWith('synthetic') ? 'synthetic' : 'dev');
  for (const set of ['dev', 'synthetic']) {
    const cuts = all.filter((a) => setOf(a.cut) === set);
    if (cuts.length === 0) continue;
    console.log(`\n## Over the ${cuts.length} ${set} cuts\n`);
    console.log('| method | pooled bias | mean abs. bias | mean coverage | mean abs. (coverage − 0.8) | mean WAPE / best reference |');
    console.log('|---|---|---|---|---|---|');
    for (const m of [...REFERENCES, ...methods]) {
      let err = 0;
      let tot = 0;
      let absBias = 0;
      let cov = 0;
      let covDev = 0;
      let ratio = 0;
      for (const a of cuts) {
        const r = a.rows.find((x) => x.method === m)!;
        const best = Math.min(...a.rows.filter((x) => REFERENCES.includes(x.method)).map((x) => x.m.wape));
        err += r.m.bias * a.actual;
        tot += a.actual;
        absBias += Math.abs(r.m.bias) / cuts.length;
        cov += r.coverage / cuts.length;
        covDev += Math.abs(r.coverage - 0.8) / cuts.length;
        ratio += r.m.wape / best / cuts.length;
      }
      console.log(`| ${m} | ${f3(err / tot)} | ${f3(absBias)} | ${f3(cov)} | ${f3(covDev)} | ${f3(ratio)} |`);
    }
  }
  if (evidence.length > 0) printEvidence();
  if (values.json) writeFileSync(values.json, JSON.stringify(all, null, 2));
  tf.disposeVariables();
}

await main();
