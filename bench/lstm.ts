/**
 * `npm run bench:lstm [-- --skip-accuracy] [--skip-synthetic] [--skip-throughput] [--backtest] [--seed S] [--hyper JSON] [--rounds N]`
 *
 * 1. Cold-start accuracy, LSTM vs like-item vs category-share:
 *    a. ../shared/data/coldstart-dev (real launches; README: like-item reference WAPE 0.881);
 *    b. synthetic marketplace (data/synthetic): launches in the last 26 weeks of its history are
 *       held out (sales cut before them), forecast from the earlier history, scored on their sales.
 *    With --backtest (instead of the above): time-honest rolling origins inside the histories —
 *    the dev history cut at three dates and the synthetic history at four, each scored on the
 *    launches of the 14 weeks after the cut (or-dev-truth.csv is not read).
 * 2. Training throughput (samples/s) and inference (windows/s) of the reference shape
 *    (52 × 4 → LSTM 64 → 13, batch 256, Adam, MSE) on each tfjs backend present, fast path (on
 *    the native kernel when it builds, and on tfjs ops) vs tfjs-layers reference, and PyTorch CPU
 *    (one thread) when `python3 -c "import torch"` works.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseCsv } from '../data/formats/catalogue-csv.js';
import {
  addWeeks,
  buildColdStartContext,
  categoryShareForecast,
  indicatorCovariates,
  launchMetrics,
  likeItemForecast,
  predictColdStart,
  prepareColdStartDataset,
  promotionCovariates,
  timeHonestSplit,
  toCurves,
  trainColdStartModel,
  type AttributeSchema,
  type CandidateRow,
  type ColdStartHyper,
  type CovariateRow,
  type ItemRow,
  type LaunchMetrics,
  type SalesRow,
} from '../engine/coldstart/index.js';
import { installedLstmKernel, measureFast, measureReference, REFERENCE_SHAPE, useBackend, type BackendName, type LstmKernelName, type Throughput } from '../engine/lstm/index.js';
import { readCatalogue } from '../services/catalogue-files.js';
import { selectLstmBackend, useLstmKernel } from '../services/lstm-runtime.js';

const { values } = parseArgs({
  options: {
    'skip-accuracy': { type: 'boolean', default: false },
    'skip-throughput': { type: 'boolean', default: false },
    'skip-synthetic': { type: 'boolean', default: false },
    backtest: { type: 'boolean', default: false },
    /** Leave the synthetic data's promotions and festivals out (to measure what they add). */
    'no-covariates': { type: 'boolean', default: false },
    /** Add the synthetic market indicators as covariates (off by default, as in the scope rules). */
    indicators: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    /** JSON of ColdStartHyper overrides, e.g. '{"learningRate":0.001}' (for backtesting choices). */
    hyper: { type: 'string', default: '{}' },
    rounds: { type: 'string', default: '3' },
  },
});
const seed = Number(values.seed);
const hyperOverrides = JSON.parse(values.hyper) as Partial<ColdStartHyper>;
const noCovariates = values['no-covariates'];
const withIndicators = values.indicators;
const HORIZON = 13;
const DEV = path.resolve(import.meta.dirname, '../../shared/data/coldstart-dev');

const f3 = (x: number): string => x.toFixed(3);

interface Catalogue {
  sales: SalesRow[];
  items: ItemRow[];
  schema: AttributeSchema;
  candidates: CandidateRow[];
  truth: Map<string, number[]>;
  /** Known-ahead promotions, festivals and indicators (the synthetic data has them). */
  covariates?: CovariateRow[];
}

interface Row {
  method: string;
  m: LaunchMetrics;
  coverage?: number;
  seconds: number;
}

interface Scored {
  rows: Row[];
  launches: number;
  weeks: number;
}

/** Like-item, category-share and the LSTM (mean head and p50) on one catalogue. */
async function score(c: Catalogue): Promise<Scored> {
  const ctx = buildColdStartContext({ sales: c.sales, items: c.items, schema: c.schema, horizon: HORIZON, ...(noCovariates ? {} : { covariates: c.covariates }) });
  const input = { history: ctx.history, items: c.items, schema: c.schema, candidates: c.candidates, horizon: HORIZON };
  const rows: Row[] = [];
  let t0 = performance.now();
  const like = likeItemForecast(input, { k: 10 });
  rows.push({ method: 'like-item (k=10, same category, nearest log price)', m: launchMetrics(like, c.truth), seconds: (performance.now() - t0) / 1000 });
  t0 = performance.now();
  rows.push({ method: 'category-share', m: launchMetrics(categoryShareForecast(input), c.truth), seconds: (performance.now() - t0) / 1000 });
  t0 = performance.now();
  const dataset = prepareColdStartDataset(ctx);
  const model = await trainColdStartModel({ dataset, hyper: { ...hyperOverrides, seed } });
  const fc = predictColdStart(model, c.candidates, ctx);
  const seconds = (performance.now() - t0) / 1000;
  const mean = toCurves(fc.map((r) => ({ itemId: r.itemId, step: r.step, value: r.mean })));
  const p50 = toCurves(fc.map((r) => ({ itemId: r.itemId, step: r.step, value: r.p50 ?? r.mean })));
  const point = toCurves(fc.map((r) => ({ itemId: r.itemId, step: r.step, value: r.point ?? r.mean })));
  let inside = 0;
  let total = 0;
  for (const r of fc) {
    const a = c.truth.get(r.itemId)?.[r.step - 1];
    if (a === undefined) continue;
    total++;
    if (a >= r.p10 && a <= r.p90) inside++;
  }
  const tag = `${dataset.train.n} train / ${dataset.val.n} val launches, best epoch ${model.info.bestEpoch}`;
  rows.push({ method: `LSTM point (τ = ${model.info.pointLevel?.toFixed(2)} quantile; ${tag})`, m: launchMetrics(point, c.truth), coverage: inside / Math.max(1, total), seconds });
  rows.push({ method: 'LSTM mean head', m: launchMetrics(mean, c.truth), seconds });
  rows.push({ method: 'LSTM p50', m: launchMetrics(p50, c.truth), seconds });
  return { rows, launches: ctx.history.launches.length, weeks: ctx.history.weeks };
}

async function evaluate(name: string, c: Catalogue): Promise<Row[]> {
  const { rows, launches, weeks } = await score(c);
  console.log(`\n### ${name}: ${c.candidates.length} candidates, ${launches} launches in ${weeks} weeks of history\n`);
  console.log('| method | WAPE | bias | WAPE of 13-week totals | p10–p90 coverage | seconds |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(`| ${r.method} | ${f3(r.m.wape)} | ${f3(r.m.bias)} | ${f3(r.m.totalWape)} | ${r.coverage === undefined ? '—' : f3(r.coverage)} | ${r.seconds.toFixed(1)} |`);
  // The mean head is what the coldstart command writes and the planner plans on.
  const l = rows[3].m.wape;
  const li = rows[0].m.wape;
  console.log(`\nLSTM mean head (what coldstart writes) WAPE vs like-item: ${((1 - l / li) * 100).toFixed(1)}% lower (target ≥ 10%); |bias| ${f3(Math.abs(rows[3].m.bias))} (target ≤ 0.2)`);
  return rows;
}

/**
 * Rolling origins: each cut becomes a catalogue (history before it, candidates = launches in
 * the 14 weeks from it, scored on what the data holds of their first 13 weeks).
 */
async function backtest(name: string, full: Omit<Catalogue, 'candidates' | 'truth'>, cuts: string[]): Promise<void> {
  console.log(`\n### ${name}: rolling origins (history cut, launches of the next 14 weeks scored)\n`);
  console.log('| cut | candidates | like-item WAPE / bias | category-share WAPE / bias | LSTM point WAPE / bias / total WAPE | LSTM mean WAPE / bias | LSTM p50 WAPE / bias |');
  console.log('|---|---|---|---|---|---|---|');
  const sums = [0, 0, 0, 0, 0];
  const ratio: number[] = [];
  for (const cut of cuts) {
    const split = timeHonestSplit({ sales: full.sales, items: full.items, cut, horizon: HORIZON, launchWeeks: 14 });
    // Promotions are planned ahead; an indicator is known only up to the cut.
    const covariates = full.covariates?.filter((r) => !r.name.startsWith('indicator:') || r.week < cut);
    const { rows } = await score({ ...split, schema: full.schema, covariates });
    const cell = (m: LaunchMetrics): string => `${f3(m.wape)} / ${f3(m.bias)}`;
    console.log(`| ${cut} | ${split.candidates.length} | ${cell(rows[0].m)} | ${cell(rows[1].m)} | ${cell(rows[2].m)} / ${f3(rows[2].m.totalWape)} | ${cell(rows[3].m)} | ${cell(rows[4].m)} |`);
    rows.forEach((r, k) => (sums[k] += r.m.wape / cuts.length));
    ratio.push(rows[3].m.wape / rows[0].m.wape);
  }
  console.log(`| mean WAPE | | ${f3(sums[0])} | ${f3(sums[1])} | ${f3(sums[2])} | ${f3(sums[3])} | ${f3(sums[4])} |`);
  console.log(`\nLSTM mean head / like-item WAPE per cut: ${ratio.map(f3).join(', ')}`);
}

async function devCatalogue(o: { withTruth: boolean } = { withTruth: true }): Promise<Catalogue> {
  const cat = await readCatalogue({
    sales: path.join(DEV, 'or-dev-sales.csv'),
    items: path.join(DEV, 'or-dev-items.csv'),
    candidates: path.join(DEV, 'or-dev-candidates.csv'),
  });
  if (!o.withTruth) return { ...cat, truth: new Map() };
  const t = parseCsv(readFileSync(path.join(DEV, 'or-dev-truth.csv'), 'utf8'), 'or-dev-truth.csv');
  const truth = toCurves(t.rows.map((r) => ({ itemId: r.cells[0], step: Number(r.cells[1]), value: Number(r.cells[2]) })));
  return { ...cat, truth };
}

/**
 * Synthetic launches held out: every product × region is an item; launches in the last 26
 * weeks (with 13 observed weeks) become candidates, and the history is cut before the first.
 */
async function loadSynthetic(): Promise<typeof import('../data/synthetic/index.js') | undefined> {
  try {
    return await import('../data/synthetic/index.js');
  } catch (err) {
    console.log(`\n(synthetic generator not loadable: ${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

const SYNTHETIC_SCHEMA: AttributeSchema = {
  columns: ['category', 'subcategory', 'brand', 'region', 'price'],
  kinds: { category: 'categorical', subcategory: 'categorical', brand: 'categorical', region: 'categorical', price: 'numeric' },
};

/** The whole synthetic history (every product × region an item), for rolling origins. */
async function syntheticHistory(): Promise<{ full: Omit<Catalogue, 'candidates' | 'truth'>; asOf: string } | undefined> {
  const mod = await loadSynthetic();
  if (!mod) return undefined;
  const m = mod.generateMarketplace({ seed: 7 });
  const asOf = m.options.asOf;
  const items: ItemRow[] = [];
  for (const p of m.products)
    for (const region of m.options.regions)
      items.push({ itemId: `${p.sku}@${region}`, attributes: { category: p.category, subcategory: p.subcategory, brand: p.brand, region, price: p.price } });
  const sales = m.sales.filter((s) => s.week <= asOf).map((s) => ({ itemId: `${s.sku}@${s.region}`, week: s.week, units: s.units }));
  return { full: { sales, items, schema: SYNTHETIC_SCHEMA, covariates: syntheticCovariates(m) }, asOf };
}

function syntheticCovariates(m: ReturnType<typeof import('../data/synthetic/index.js').generateMarketplace>): CovariateRow[] {
  return [...promotionCovariates(m.promotions, { matchRegion: 'region' }), ...(withIndicators ? indicatorCovariates(m.indicators) : [])];
}

async function syntheticCatalogue(): Promise<Catalogue | undefined> {
  const mod = await loadSynthetic();
  if (!mod) return undefined;
  const m = mod.generateMarketplace({ seed: 7 });
  const asOf = m.options.asOf;
  const cut = addWeeks(asOf, -25);
  const lastLaunch = addWeeks(asOf, -(HORIZON - 1));
  const schema = SYNTHETIC_SCHEMA;
  const items: ItemRow[] = [];
  const candidates: CandidateRow[] = [];
  const bySku = new Map(m.products.map((p) => [p.sku, p]));
  for (const p of m.products)
    for (const region of m.options.regions) {
      const it = { itemId: `${p.sku}@${region}`, attributes: { category: p.category, subcategory: p.subcategory, brand: p.brand, region, price: p.price } };
      if (p.launchWeek >= cut && p.launchWeek <= lastLaunch) candidates.push({ ...it, launchWeek: p.launchWeek });
      else if (p.launchWeek < cut) items.push(it);
    }
  const candIds = new Set(candidates.map((c) => c.itemId));
  const sales: SalesRow[] = [];
  const truth = new Map<string, number[]>();
  const launchOf = new Map(candidates.map((c) => [c.itemId, c.launchWeek]));
  for (const c of candidates) truth.set(c.itemId, new Array<number>(HORIZON).fill(0));
  for (const s of m.sales) {
    const id = `${s.sku}@${s.region}`;
    if (s.week < cut && !candIds.has(id) && bySku.has(s.sku)) sales.push({ itemId: id, week: s.week, units: s.units });
    const lw = launchOf.get(id);
    if (lw) {
      const step = Math.round((Date.parse(s.week) - Date.parse(lw)) / (7 * 86_400_000));
      if (step >= 0 && step < HORIZON) truth.get(id)![step] = s.units;
    }
  }
  const covariates = syntheticCovariates(m).filter((r) => !r.name.startsWith('indicator:') || r.week < cut);
  return { sales, items, schema, candidates, truth, covariates };
}

function torchThroughput(): Throughput | string {
  try {
    execFileSync('python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return 'PyTorch not importable (pip install torch to compare)';
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'lstm-bench-'));
  const script = path.join(dir, 'torch_bench.py');
  const s = REFERENCE_SHAPE;
  writeFileSync(
    script,
    [
      'import time, json, torch',
      'torch.set_num_threads(1); torch.manual_seed(0)',
      `B,T,F,H,O=${s.batch},${s.window},${s.features},${s.units},${s.outputs}`,
      'class M(torch.nn.Module):',
      '    def __init__(s): super().__init__(); s.l=torch.nn.LSTM(F,H,batch_first=True); s.d=torch.nn.Linear(H,O)',
      '    def forward(s,x): return s.d(s.l(x)[0][:,-1])',
      'm=M(); opt=torch.optim.Adam(m.parameters(),1e-3); x=torch.randn(B,T,F); y=torch.randn(B,O)',
      'def step():',
      '    opt.zero_grad(); l=torch.nn.functional.mse_loss(m(x),y); l.backward(); opt.step()',
      'step(); n=0; t0=time.perf_counter()',
      'while n<3 or time.perf_counter()-t0<3: step(); n+=1',
      'tr=B*n/(time.perf_counter()-t0)',
      'with torch.no_grad():',
      '    m(x); n=0; t0=time.perf_counter()',
      '    while n<5 or time.perf_counter()-t0<1.5: m(x); n+=1',
      '    inf=B*n/(time.perf_counter()-t0)',
      'print(json.dumps({"trainSamplesPerSec":tr,"inferWindowsPerSec":inf}))',
    ].join('\n'),
  );
  const out = execFileSync('python3', [script], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  return JSON.parse(out.trim().split('\n').pop()!) as Throughput;
}

function best(a: Throughput | undefined, b: Throughput): Throughput {
  if (!a) return b;
  return { trainSamplesPerSec: Math.max(a.trainSamplesPerSec, b.trainSamplesPerSec), inferWindowsPerSec: Math.max(a.inferWindowsPerSec, b.inferWindowsPerSec) };
}

async function throughput(): Promise<void> {
  const rounds = Math.max(1, Number(values.rounds));
  console.log(`\n## Throughput, reference shape 52 × 4 → LSTM 64 → 13, batch 256, Adam, MSE (one thread; best of ${rounds} interleaved rounds)\n`);
  // The fast path runs its recurrence on the native kernel (engine/lstm/kernel.ts) when it builds
  // here, else on tfjs ops; both are measured so the fallback's cost stays visible.
  const selected = installedLstmKernel() ?? useLstmKernel('tfjs');
  const kernels: Array<{ name: LstmKernelName; label: string }> = [];
  try {
    const n = useLstmKernel('native');
    kernels.push({ name: 'native', label: `native kernel (${n.detail.split(' ')[1]})` });
  } catch (err) {
    console.log(`(native LSTM kernel not measured: ${(err as Error).message})\n`);
  }
  kernels.push({ name: 'tfjs', label: 'tfjs ops' });
  // Interleaved rounds, best of each: on a shared machine load comes and goes, and every
  // implementation should get the same chance at a quiet moment.
  let torch: Throughput | string | undefined;
  const results = new Map<string, Throughput>();
  for (let r = 0; r < rounds; r++) {
    const t = torchThroughput();
    torch = typeof t === 'string' ? t : best(typeof torch === 'object' ? torch : undefined, t);
    for (const b of ['wasm', 'cpu'] as BackendName[]) {
      // The pure-JS cpu backend is an order of magnitude slower: one short round is enough.
      if (b === 'cpu' && r > 0) continue;
      try {
        await useBackend(b);
      } catch {
        continue;
      }
      const budget = b === 'cpu' ? 1 : 3;
      for (const k of kernels) {
        useLstmKernel(k.name);
        const name = `${b} fast path, ${k.label}`;
        results.set(name, best(results.get(name), measureFast(REFERENCE_SHAPE, budget)));
      }
      results.set(`${b} tf.layers reference`, best(results.get(`${b} tf.layers reference`), await measureReference(REFERENCE_SHAPE, budget)));
    }
  }
  useLstmKernel(selected.name);
  const rows: Array<[string, Throughput]> = [...results];
  if (torch === undefined) torch = 'not measured';
  if (typeof torch !== 'string') rows.push(['PyTorch CPU (1 thread)', torch]);
  console.log('| implementation | train samples/s | inference windows/s | train vs PyTorch | infer vs PyTorch |');
  console.log('|---|---|---|---|---|');
  for (const [name, t] of rows) {
    const rt = typeof torch === 'string' ? '—' : (t.trainSamplesPerSec / torch.trainSamplesPerSec).toFixed(3);
    const ri = typeof torch === 'string' ? '—' : (t.inferWindowsPerSec / torch.inferWindowsPerSec).toFixed(3);
    console.log(`| ${name} | ${Math.round(t.trainSamplesPerSec)} | ${Math.round(t.inferWindowsPerSec)} | ${rt} | ${ri} |`);
  }
  if (typeof torch === 'string') console.log(`\n${torch}`);
  const byName = new Map(rows);
  const fastName = `wasm fast path, ${kernels[0].label}`;
  const fw = byName.get(fastName);
  const rw = byName.get('wasm tf.layers reference');
  if (fw && rw)
    console.log(`\n${fastName} vs tf.layers: train ×${(fw.trainSamplesPerSec / rw.trainSamplesPerSec).toFixed(2)}, inference ×${(fw.inferWindowsPerSec / rw.inferWindowsPerSec).toFixed(2)}`);
  if (fw && typeof torch !== 'string')
    console.log(
      `${fastName} vs PyTorch (1 thread): train ×${(fw.trainSamplesPerSec / torch.trainSamplesPerSec).toFixed(2)}, inference ×${(fw.inferWindowsPerSec / torch.inferWindowsPerSec).toFixed(2)} (target ≥ 0.5 each)`,
    );
}

async function main(): Promise<void> {
  const choice = await selectLstmBackend({ logger: { info: () => undefined } });
  console.log(`# LSTM / cold-start benchmark (backend ${choice.name}: ${choice.reason}; seed ${seed})`);
  if (values.backtest) {
    console.log('\n## Time-honest backtests (LSTM point = τ-quantile, mean head, p50; WAPE over the candidate-weeks the data holds)');
    if (existsSync(DEV)) {
      const { truth: _unused, candidates: _c, ...full } = await devCatalogue({ withTruth: false });
      await backtest('coldstart-dev history', full, ['2010-03-01', '2010-03-29', '2010-04-26']);
    }
    if (!values['skip-synthetic']) {
      const syn = await syntheticHistory();
      if (syn) await backtest('synthetic marketplace (seed 7)', syn.full, [77, 51, 38, 25].map((k) => addWeeks(syn.asOf, -k)));
    }
  } else if (!values['skip-accuracy']) {
    console.log('\n## Cold-start accuracy (LSTM point = τ-quantile, mean head, p50; WAPE = Σ|f − a| / Σa over candidate-weeks)');
    if (existsSync(DEV)) await evaluate('coldstart-dev (Online Retail II)', await devCatalogue());
    else console.log(`\n(${DEV} not found)`);
    if (!values['skip-synthetic']) {
      const syn = await syntheticCatalogue();
      if (syn) await evaluate('synthetic marketplace, held-out launches (seed 7)', syn);
    }
  }
  if (!values['skip-throughput']) await throughput();
  tf.disposeVariables();
}

await main();
