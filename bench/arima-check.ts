/**
 * Quick accuracy/speed check of the ARIMA engine on the M4 weekly dev set (../shared/data).
 * Usage: npx tsx bench/arima-check.ts [--season 52] [--limit N] [--maxK 10] [--fp 52] [--tol 0.02] [--verbose]
 * Prints sMAPE, MASE (m = 52 and m = 1), 95% interval coverage, s/series, the chosen models,
 * and the robustness check over every series (the npm arima package crashed or returned NaN on
 * these): `nonFiniteSeries` counts series with any non-finite forecast, 80/95% interval bound,
 * fitted value (after the first two) or AICc; the script exits 1 when it is not 0. The unit suite
 * runs the same check on the fixture series only (engine/forecast/arima/auto.test.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { fitAutoArima } from '../engine/forecast/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, '..', '..', 'shared', 'data', 'm4-weekly-dev');

function readRows(file: string): Map<string, number[]> {
  const lines = readFileSync(join(dataDir, file), 'utf8').trim().split('\n').slice(1);
  const out = new Map<string, number[]>();
  for (const line of lines) {
    const [id, ...vals] = line.trim().split(',');
    out.set(id, vals.filter((v) => v !== '').map(Number));
  }
  return out;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function scale(y: number[], m: number): number {
  let s = 0;
  for (let t = m; t < y.length; t++) s += Math.abs(y[t] - y[t - m]);
  return s / (y.length - m);
}

const season = arg('season', 52);
const limit = arg('limit', Infinity);
const maxK = arg('maxK', 10);
const fourierPeriod = process.argv.includes('--fp') ? arg('fp', 52) : undefined;
const searchTolerance = process.argv.includes('--tol') ? arg('tol', 0.02) : undefined;
const train = readRows('weekly-train.csv');
const test = readRows('weekly-test.csv');
let smape = 0;
let mase52 = 0;
let mase1 = 0;
let covered = 0;
let points = 0;
let count = 0;
let nan = 0;
let nonFiniteSeries = 0;
let time = 0;
let cpu = 0;
const models = new Map<string, number>();
for (const [id, y] of train) {
  if (count >= limit) break;
  const actual = test.get(id)!;
  const h = actual.length;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitAutoArima(y, { season, maxK, fourierPeriod, searchTolerance });
  const pred = fit.predict(h, [80, 95]);
  time += performance.now() - t0;
  const bounds = [...pred.mean, ...pred.lo['80'], ...pred.hi['80'], ...pred.lo['95'], ...pred.hi['95']];
  const fittedOk = fit.fitted.length === y.length && fit.fitted.every((v, t) => Number.isFinite(v) || t < 2);
  if (!bounds.every(Number.isFinite) || !fittedOk || !Number.isFinite(fit.aicc ?? NaN)) {
    nonFiniteSeries++;
    console.error(`${id}: ${fit.name} produced non-finite output`);
  }
  const dc = process.cpuUsage(c0);
  cpu += (dc.user + dc.system) / 1000;
  const label = fit.name.replace(/\(\d+,\d+,\d+\)/, '(p,d,q)');
  models.set(label, (models.get(label) ?? 0) + 1);
  let s = 0;
  let mae = 0;
  for (let k = 0; k < h; k++) {
    const f = pred.mean[k];
    if (![f, pred.lo['95'][k], pred.hi['95'][k]].every(Number.isFinite)) nan++;
    s += (200 * Math.abs(actual[k] - f)) / (Math.abs(actual[k]) + Math.abs(f));
    mae += Math.abs(actual[k] - f);
    if (actual[k] >= pred.lo['95'][k] && actual[k] <= pred.hi['95'][k]) covered++;
    points++;
  }
  smape += s / h;
  mase52 += mae / h / scale(y, 52);
  mase1 += mae / h / scale(y, 1);
  count++;
  if (process.argv.includes('--verbose')) console.log(id, y.length, fit.name, ((performance.now() - t0) / 1000).toFixed(3));
}
console.log(
  JSON.stringify(
    {
      series: count,
      season,
      maxK,
      sMAPE: +(smape / count).toFixed(3),
      MASE52: +(mase52 / count).toFixed(3),
      MASE1: +(mase1 / count).toFixed(3),
      coverage95: +(covered / points).toFixed(3),
      wallSecondsPerSeries: +(time / 1000 / count).toFixed(4),
      cpuSecondsPerSeries: +(cpu / 1000 / count).toFixed(4),
      nonFinite: nan,
      nonFiniteSeries,
      models: Object.fromEntries([...models.entries()].sort((a, b) => b[1] - a[1])),
    },
    null,
    1,
  ),
);
if (nonFiniteSeries > 0) process.exitCode = 1;
