/**
 * How `auto`'s and `ensemble`'s interval calibration (engine/forecast/meta.ts, calibrate) covers
 * on the dev sets' rolling origins, never their test horizons: each series less its last h (and,
 * a second origin, less its last 2h) is evaluated as the engine would (backtest origins, pick,
 * calibration cases), and the h points after that cut are counted inside the calibrated 80% and
 * 95% intervals. Coverage per set, cut and method, overall and by the series' independent backtest
 * origins k (M3's short series have one; M4's all have three), for the adopted multiplier and the
 * earlier one (ν = 3k, κ = 1). The loss is the series-weighted mean of |cov80 − 80| + |cov95 − 95|
 * over the (cut, k group, method) cells with at least 30 series, the criterion the constants in
 * meta.ts were chosen by.
 *
 *   npx tsx bench/calibration-origins.ts [--sets m3,m4] [--limit N] [--grid]
 *
 * --grid also scores the grid of (ν₀, c, κ) the constants were chosen from and prints the best.
 * About a minute on one core for both sets (one evaluation per series and cut).
 */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  autoPick,
  calibrated,
  calibrationMultiplier,
  coverage,
  ensemblePick,
  evaluate,
  qt,
  twoTailMultiplier,
  type CalibrationCase,
  type CalibrationMultiplier as Multiplier,
} from '../engine/forecast/index.js';
import { parseSeriesCsv } from '../data/formats/series-csv.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');
const SETS = [
  { key: 'm4', dir: 'm4-weekly-dev', train: 'weekly-train.csv', h: 13, season: 52 },
  { key: 'm3', dir: 'm3-monthly-dev', train: 'monthly-train.csv', h: 18, season: 12 },
];
const LEVELS = [80, 95];
const MIN_CELL = 30;
/** k groups: one origin, between one and three, three or more. */
const GROUPS: Array<[number, number]> = [
  [1, 1],
  [1.5, 2.5],
  [3, Infinity],
];

interface Case {
  actual: number[];
  k: number;
  auto: CalibrationCase;
  ensemble: CalibrationCase;
}

function cases(y: number[], h: number, season: number): Case[] {
  const out: Case[] = [];
  for (const back of [h, 2 * h]) {
    if (y.length - back < 3) continue;
    const train = y.slice(0, y.length - back);
    if (new Set(train).size === 1) continue; // forecast() answers a constant series without models
    const s = train.length <= season ? 1 : season;
    const ev = evaluate(train, s, h, LEVELS);
    out.push({
      actual: y.slice(y.length - back, y.length - back + h),
      k: ev.independentOrigins,
      auto: autoPick(train, ev, h, LEVELS).cal,
      ensemble: ensemblePick(train, ev, h, LEVELS).cal,
    });
  }
  return out;
}

const clip0 = (v: number) => Math.max(0, v);

/** Mean over series of the share of the h points inside each level's interval (bounds clipped at 0, as forecast() does). */
function meanCoverage(cs: readonly Case[], method: 'auto' | 'ensemble', m: Multiplier): [number, number] {
  const cov = [0, 0];
  for (const c of cs) {
    const p = calibrated(c[method], LEVELS, m);
    LEVELS.forEach((level, j) => {
      const key = String(level);
      cov[j] += coverage(c.actual, p.lo[key].map(clip0), p.hi[key].map(clip0));
    });
  }
  return [(100 * cov[0]) / cs.length, (100 * cov[1]) / cs.length];
}

interface Cell {
  name: string;
  cases: Case[];
}

function cells(bySetCut: Cell[]): Cell[] {
  return bySetCut.flatMap((sc) =>
    GROUPS.map(([lo, hi]) => ({ name: `${sc.name} k ${lo === hi ? lo : hi === Infinity ? `≥ ${lo}` : `${lo}–${hi}`}`, cases: sc.cases.filter((c) => c.k >= lo && c.k <= hi) })).filter(
      (c) => c.cases.length >= MIN_CELL,
    ),
  );
}

function loss(groups: Cell[], m: Multiplier): number {
  let sum = 0;
  let w = 0;
  for (const g of groups)
    for (const method of ['auto', 'ensemble'] as const) {
      const [c80, c95] = meanCoverage(g.cases, method, m);
      sum += g.cases.length * (Math.abs(c80 - 80) + Math.abs(c95 - 95));
      w += g.cases.length;
    }
  return sum / w;
}

function main(): void {
  const { values } = parseArgs({ options: { sets: { type: 'string' }, limit: { type: 'string' }, grid: { type: 'boolean', default: false } } });
  const wanted = values.sets ? values.sets.split(',') : SETS.map((s) => s.key);
  const limit = values.limit ? Number(values.limit) : Infinity;
  const bySetCut: Cell[] = [];
  for (const set of SETS.filter((s) => wanted.includes(s.key))) {
    const rows = parseSeriesCsv(readFileSync(join(DATA, set.dir, set.train), 'utf8')).slice(0, limit);
    const byCut: Case[][] = [[], []];
    for (const r of rows) cases(r.y, set.h, set.season).forEach((c, i) => byCut[i].push(c));
    bySetCut.push({ name: `${set.key} last h`, cases: byCut[0] }, { name: `${set.key} 2h back`, cases: byCut[1] });
  }
  const variants: Array<[string, Multiplier]> = [
    ['earlier: ν = 3k, κ = 1', (level, k) => qt(0.5 + level / 200, 3 * k)],
    ['adopted: calibrationMultiplier', calibrationMultiplier],
  ];
  const groups = cells(bySetCut);
  for (const [name, m] of variants) {
    console.log(`\n${name}: loss ${loss(groups, m).toFixed(2)}`);
    console.log('| cell | series | auto 80 / 95 | ensemble 80 / 95 |\n|---|---|---|---|');
    for (const c of [...bySetCut, ...groups]) {
      const a = meanCoverage(c.cases, 'auto', m);
      const e = meanCoverage(c.cases, 'ensemble', m);
      console.log(`| ${c.name} | ${c.cases.length} | ${a[0].toFixed(1)} / ${a[1].toFixed(1)} | ${e[0].toFixed(1)} / ${e[1].toFixed(1)} |`);
    }
  }
  if (values.grid) {
    const tried: Array<[number, number, number]> = [];
    for (const nu0 of [8, 12, 20, Infinity]) for (const c of [1.5, 2, 3, 4]) for (const k of [0.88, 0.91, 0.94, 0.97, 1]) tried.push([nu0, c, k]);
    for (const nu0 of [4, 5, 6, 8, 10]) for (const c of [3, 4, 6, 8, Infinity]) for (const k of [0.85, 0.88, 0.91, 0.94, 0.97]) tried.push([nu0, c, k]);
    const scored = tried.map(([nu0, c, k]) => ({ nu0, c, k, loss: loss(groups, twoTailMultiplier(nu0, c, k)) })).sort((a, b) => a.loss - b.loss);
    console.log(`\nGrid (${tried.length} points), best 10: 1/ν = 1/ν₀ + 1/(c·k), half-width κ · t(level, ν)`);
    for (const g of scored.slice(0, 10)) console.log(`  ν₀ ${g.nu0}, c ${g.c}, κ ${g.k}: ${g.loss.toFixed(2)}`);
  }
}

main();
