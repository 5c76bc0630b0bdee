/**
 * Probe behind engine/forecast/README.md, "What did not close the M3 gap": does a global model,
 * one pooled linear autoregression fitted across all series of the set (Montero-Manso &
 * Hyndman 2021, "Principles and algorithms for forecasting groups of time series: locality and
 * globality", IJF 37(4)), add to `ensemble` on m3-monthly-dev? Not adopted, so not in the engine.
 *
 *   nice -n 10 npx tsx bench/global-ar-probe.ts [--limit N] [--lags 24] [--ridge 0.01] [--linear]
 *
 * The model: each series seasonally adjusted as theta does it (seasonal.ts, indices from the
 * data before its origin), windows of `lags` adjusted values divided by the mean of their last
 * 12 (log of that ratio unless --linear), 18 direct targets on the same scale; one ridge
 * regression (mean squared error + ridge·|w|², intercept free) with 18 outputs over every
 * window of every series. Windows end at or before each series' own forecast origin, so the
 * held-out months are never seen. Three origins, all series at once: each series less its last
 * 36 months (`prev`), less its last 18 (`last`, where the engine's choices were made), and the
 * test horizon (`test`). For each: sMAPE of the global model alone, of `ensemble`, and of
 * (1 − w)·ensemble + w·global; series the model cannot take (a non-positive adjusted value on
 * the log scale) keep the ensemble's forecast.
 */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deseasonalise, forecast, futureIndex, seasonalAdjustment, smape } from '../engine/forecast/index.js';
import { parseSeriesCsv } from '../data/formats/series-csv.js';

const here = dirname(fileURLToPath(import.meta.url));
const DIR = join(here, '..', '..', 'shared', 'data', 'm3-monthly-dev');
const H = 18;
const M = 12;
const WEIGHTS = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1];

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { limit: { type: 'string' }, lags: { type: 'string' }, ridge: { type: 'string' }, linear: { type: 'boolean' } },
  strict: true,
});
const LAGS = Number(values.lags ?? 24);
const RIDGE = Number(values.ridge ?? 0.01);
const LOG = !values.linear;

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Inputs and targets on the window's scale (ratio to the mean of its last season, or its log). */
function scaled(inp: number[], tgt: number[]): { x: number[]; y: number[]; level: number } | undefined {
  const level = mean(inp.slice(-M));
  if (!(level > 0)) return undefined;
  if (LOG && (inp.some((v) => v <= 0) || tgt.some((v) => v <= 0))) return undefined;
  const f = (v: number) => (LOG ? Math.log(v / level) : v / level);
  return { x: inp.map(f), y: tgt.map(f), level };
}

/** Front-padded with the first value, so series shorter than the lags still give windows. */
function padded(adj: number[], length: number): number[] {
  return [...new Array<number>(Math.max(0, length - adj.length)).fill(adj[0]), ...adj];
}

/** Solves A x = b for symmetric positive definite A (Cholesky); A is small (lags + 1). */
function solveSpd(a: number[][], b: number[][]): number[][] {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(s) : s / l[j][j];
    }
  }
  return b[0].map((_, c) => {
    const z = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let s = b[i][c];
      for (let k = 0; k < i; k++) s -= l[i][k] * z[k];
      z[i] = s / l[i][i];
    }
    const x = new Array<number>(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
      x[i] = s / l[i][i];
    }
    return x;
  });
}

/** The global model fitted on all `series` (each ending at its origin); forecasts per series, undefined where it cannot. */
function globalForecasts(series: number[][]): Array<number[] | undefined> {
  const p = LAGS + 1;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = Array.from({ length: p }, () => new Array<number>(H).fill(0));
  let rows = 0;
  const adjusted = series.map((y) => {
    const adj = seasonalAdjustment(y, M);
    return { adj, a: adj ? deseasonalise(y, adj) : [...y] };
  });
  for (const { a } of adjusted) {
    const pad = padded(a, a.length + Math.max(0, LAGS - M));
    const off = pad.length - a.length;
    for (let end = M; end + H <= a.length; end++) {
      const w = scaled(pad.slice(end + off - LAGS, end + off), a.slice(end, end + H));
      if (!w) continue;
      const x = [...w.x, 1];
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) xtx[i][j] += x[i] * x[j];
        for (let k = 0; k < H; k++) xty[i][k] += x[i] * w.y[k];
      }
      rows++;
    }
  }
  for (let i = 0; i < LAGS; i++) xtx[i][i] += RIDGE * rows;
  const coef = solveSpd(xtx, xty); // coef[k][i]: step k, input i
  return adjusted.map(({ adj, a }, s) => {
    const inp = padded(a, LAGS).slice(-LAGS);
    const w = scaled(inp, []);
    if (!w) return undefined;
    const x = [...w.x, 1];
    const idx = adj ? futureIndex(adj, series[s].length, H) : new Array<number>(H).fill(1);
    return coef.map((c, k) => {
      const v = c.reduce((acc, ci, i) => acc + ci * x[i], 0);
      return Math.max(0, (LOG ? Math.exp(v) : v) * w.level * idx[k]);
    });
  });
}

const limit = values.limit ? Number(values.limit) : Infinity;
const train = parseSeriesCsv(readFileSync(join(DIR, 'monthly-train.csv'), 'utf8')).slice(0, limit);
const test = new Map(parseSeriesCsv(readFileSync(join(DIR, 'monthly-test.csv'), 'utf8')).map((r) => [r.id, r.y]));
console.log(`m3-monthly-dev, ${train.length} series; global ${LOG ? 'log ' : ''}AR, ${LAGS} lags, ridge ${RIDGE}`);
console.log(['origin', 'global', ...WEIGHTS.map((w) => `w=${w}`), 'combo w=0.5 wins'].join(' | '));
for (const [name, back] of [['prev', 2 * H], ['last', H], ['test', 0]] as const) {
  const series = train.map((r) => r.y.slice(0, r.y.length - back));
  const actual = train.map((r) => (back ? r.y.slice(r.y.length - back, r.y.length - back + H) : test.get(r.id)!));
  const g = globalForecasts(series);
  const ens = series.map((y) => forecast({ y, horizon: H, season: M, model: 'ensemble' }).mean);
  const sm = WEIGHTS.map((w) => mean(ens.map((e, s) => smape(actual[s], e.map((v, i) => (1 - w) * v + w * (g[s] ?? e)[i])))));
  const alone = mean(g.map((f, s) => smape(actual[s], f ?? ens[s])));
  const wins = mean(ens.map((e, s) => (smape(actual[s], e.map((v, i) => (v + (g[s] ?? e)[i]) / 2)) < smape(actual[s], e) ? 1 : 0)));
  console.log([name.padEnd(6), alone.toFixed(3), ...sm.map((v) => v.toFixed(3)), `${(100 * wins).toFixed(0)}%`].join(' | '));
}
