/**
 * One call from a parsed catalogue to launch curves (the CLI reads the files,
 * services/catalogue-files.ts): either a baseline or train the LSTM on the whole history and predict.
 */
import { categoryShareForecast, likeItemForecast } from './baselines.js';
import type { CovariateRow } from './covariates.js';
import { buildColdStartContext, prepareColdStartDataset } from './features.js';
import type { Catalogue, CandidateRow, LaunchForecast } from './types.js';
import { predictColdStart, trainColdStartModel, type ColdStartHyper } from './model/index.js';

export type ColdStartMethod = 'lstm' | 'like-item' | 'category-share';

export interface ForecastLaunchesInput {
  /** covariates: optional known-ahead covariates (promotions, festivals, indicators), see parseCalendar. */
  catalogue: Catalogue & { candidates: CandidateRow[]; covariates: CovariateRow[] };
  /** Readies the tfjs backend and LSTM kernel before training (services/lstm-runtime.ts); only the LSTM method calls it. */
  prepareBackend: () => Promise<unknown>;
  horizon: number;
  method: ColdStartMethod;
  seed?: number;
  hyper?: Partial<ColdStartHyper>;
  log?: (msg: string) => void;
}

function curvesToRows(curves: Map<string, number[]>, candidates: CandidateRow[]): LaunchForecast[] {
  const out: LaunchForecast[] = [];
  for (const c of candidates)
    (curves.get(c.itemId) ?? []).forEach((v, s) => out.push({ itemId: c.itemId, step: s + 1, mean: v, p10: v, p90: v }));
  return out;
}

export async function forecastLaunches(o: ForecastLaunchesInput): Promise<LaunchForecast[]> {
  const cat = o.catalogue;
  const ctx = buildColdStartContext({ ...cat, horizon: o.horizon });
  if (cat.covariates.length > 0) o.log?.(`calendar: ${ctx.covariates?.names.map((n) => `${n} (${ctx.covariates?.fill(n) === 'last' ? 'series' : 'event'})`).join(', ')}`);
  const input = { history: ctx.history, items: cat.items, schema: cat.schema, candidates: cat.candidates, horizon: o.horizon };
  if (o.method !== 'lstm' && cat.covariates.length > 0) o.log?.(`calendar: not used by ${o.method} (only the LSTM reads covariates)`);
  if (o.method === 'like-item') return curvesToRows(likeItemForecast(input), cat.candidates);
  if (o.method === 'category-share') return curvesToRows(categoryShareForecast(input), cat.candidates);
  await o.prepareBackend();
  const dataset = prepareColdStartDataset(ctx);
  const model = await trainColdStartModel({
    dataset,
    hyper: { ...o.hyper, ...(o.seed !== undefined ? { seed: o.seed } : {}) },
    onEpoch: (p) => o.log?.(`epoch ${p.epoch}/${p.epochs} train ${p.trainLoss.toFixed(4)} val ${p.valLoss.toFixed(4)} (${Math.round(p.samplesPerSec)} samples/s)`),
  });
  o.log?.(`trained: best epoch ${model.info.bestEpoch} of ${model.info.epochsRun}, val loss ${model.info.bestValLoss.toFixed(4)}`);
  return predictColdStart(model, cat.candidates, ctx);
}
