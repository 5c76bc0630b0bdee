/**
 * `launchloop forecast --input FILE --horizon H --season M --model MODEL --levels 80,95 --output OUT`
 *
 * Batch-forecasts every series of a CSV in the m4-weekly-dev format (`id,v1,v2,...`, ragged
 * rows, optional header) and writes a long CSV `id,step,mean,lo_80,hi_80,lo_95,hi_95` (one
 * lo/hi pair per level). A series that cannot be forecast is reported on stderr with its id
 * and line, and the batch goes on; the exit status is non-zero only for a usage error or when
 * no series at all could be forecast. Documented fallbacks (e.g. a series shorter than two
 * seasons) are counted on stderr and listed per series with --verbose; --threads N caps the
 * worker threads (default 2).
 *
 * Inputs of PARALLEL_MIN_SERIES series or more are split across two worker threads running
 * forecastBatch (the engine is pure and its results are plain data, so they cross threads as
 * is); smaller inputs stay on the main thread, where start-up would cost more than it saves.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseFlags, positiveInt, requireFlag, UsageError } from '../args.js';
import { forecastBatch, MODEL_NAMES, type ForecastRequest, type ModelName } from '../../engine/forecast/index.js';
import { parseSeriesCsv, type SeriesRow } from '../../data/formats/series-csv.js';

export const help = `usage: launchloop forecast --input FILE --horizon H --season M --model MODEL --output OUT
                          [--levels 80,95] [--threads N] [--verbose]

Batch-forecasts every series of a CSV (\`id,v1,v2,...\`, ragged rows, optional header) and writes
\`id,step,mean,lo_80,hi_80,lo_95,hi_95\` (one lo/hi pair per level). A series that cannot be
forecast is reported on stderr and the batch goes on. No stack needed.
  --model     one of ${MODEL_NAMES.join(', ')}
  --levels    interval levels in percent (default 80,95)
  --threads   worker threads for large inputs (default 2)
  --verbose   list each series that used a documented fallback`;

type BatchOutput = ReturnType<typeof forecastBatch>;

const PARALLEL_MIN_SERIES = 40;
const MAX_THREADS = 2;
const WORKER_TAG = 'launchloopForecastChunk';

export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    input: { type: 'string' },
    horizon: { type: 'string' },
    season: { type: 'string' },
    model: { type: 'string' },
    levels: { type: 'string' },
    output: { type: 'string' },
    threads: { type: 'string' },
    verbose: { type: 'boolean' },
  });
  const input = requireFlag(values.input, 'input');
  const output = requireFlag(values.output, 'output');
  const horizon = positiveInt(values.horizon, 'horizon');
  const season = positiveInt(values.season, 'season');
  const model = requireFlag(values.model, 'model') as ModelName;
  if (!MODEL_NAMES.includes(model)) throw new UsageError(`--model must be one of ${MODEL_NAMES.join(', ')}, got "${model}"`);
  const levels = parseLevels(values.levels ?? '80,95');
  const threads = Math.min(positiveInt(values.threads, 'threads', MAX_THREADS), availableParallelism());

  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --input ${input}: ${(err as Error).message}`);
  }
  const rows = parseSeriesCsv(text);
  if (rows.length === 0) throw new UsageError(`--input ${input} holds no series`);
  warnDuplicateIds(rows);

  const reqs: ForecastRequest[] = rows.map((r) => ({ id: r.id, y: r.y, horizon, season, model, levels }));
  const results = threads > 1 && reqs.length >= PARALLEL_MIN_SERIES ? await inWorkers(reqs, threads) : forecastBatch(reqs);

  const header = ['id', 'step', 'mean', ...levels.flatMap((l) => [`lo_${l}`, `hi_${l}`])].join(',');
  const lines: string[] = [header];
  let ok = 0;
  let notes = 0;
  results.forEach((res, i) => {
    const row = rows[i];
    if (!res.ok) {
      console.error(`forecast: series ${row.id} (line ${row.line}): ${res.error}`);
      return;
    }
    ok++;
    const r = res.result;
    if (r.fallback) {
      notes++;
      if (values.verbose) console.error(`forecast: note: series ${row.id} (line ${row.line}): ${r.fallback}`);
    }
    for (let s = 0; s < r.mean.length; s++) {
      const cells = [csvField(row.id), String(s + 1), num(r.mean[s])];
      for (const l of levels) cells.push(num(r.lo[String(l)][s]), num(r.hi[String(l)][s]));
      lines.push(cells.join(','));
    }
  });
  if (ok === 0) throw new Error(`no series could be forecast (${rows.length} failed); nothing written`);
  writeFileSync(output, lines.join('\n') + '\n');
  console.error(`forecast: ${ok} of ${rows.length} series written to ${output}${ok < rows.length ? ` (${rows.length - ok} failed)` : ''}`);
  if (notes && !values.verbose) console.error(`forecast: ${notes} series used a documented fallback (--verbose lists them)`);
}

function parseLevels(s: string): number[] {
  const levels = s.split(',').map((x) => x.trim()).filter((x) => x !== '').map(Number);
  if (levels.length === 0 || levels.some((l) => !Number.isFinite(l) || l <= 0 || l >= 100)) {
    throw new UsageError(`--levels must be percentages between 0 and 100, e.g. 80,95; got "${s}"`);
  }
  return [...new Set(levels)];
}

function warnDuplicateIds(rows: SeriesRow[]): void {
  const seen = new Map<string, number>();
  for (const r of rows) {
    const first = seen.get(r.id);
    if (first !== undefined) console.error(`forecast: warning: series id ${r.id} on line ${r.line} repeats line ${first}`);
    else seen.set(r.id, r.line);
  }
}

/** Up to 8 significant digits: plenty for demand, and keeps the file small. */
function num(v: number): string {
  return String(Number(v.toPrecision(8)));
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Split the batch into contiguous chunks, one worker thread each; results keep input order. */
async function inWorkers(reqs: ForecastRequest[], threads: number): Promise<BatchOutput> {
  const size = Math.ceil(reqs.length / threads);
  const chunks: ForecastRequest[][] = [];
  for (let i = 0; i < reqs.length; i += size) chunks.push(reqs.slice(i, i + size));
  const parts = await Promise.all(chunks.map(runWorker));
  return parts.flat();
}

function runWorker(chunk: ForecastRequest[]): Promise<BatchOutput> {
  // This module is its own worker. Under tsx (how the CLI runs) the worker must register tsx's
  // loader before importing a .ts file; a compiled .js build imports directly.
  const self = import.meta.url;
  const code = self.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(self)}); })`
    : `import(${JSON.stringify(self)})`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { [WORKER_TAG]: chunk } });
    w.once('message', (out: BatchOutput) => {
      resolve(out);
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`forecast worker exited with code ${code}`));
    });
  });
}

// Only a thread started by runWorker carries the tag; other threads importing this module
// (test runners, Temporal workers) are left alone.
if (!isMainThread && parentPort && typeof workerData === 'object' && workerData !== null && WORKER_TAG in workerData) {
  parentPort.postMessage(forecastBatch((workerData as Record<string, ForecastRequest[]>)[WORKER_TAG]));
}
