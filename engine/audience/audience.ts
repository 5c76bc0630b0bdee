/**
 * Launch audiences: for each candidate (no buyers yet), the existing customers most likely to
 * buy it in its first weeks, and where its demand is expected to come from (region, segment).
 *
 * Scores are the logit of a logistic model over the features of features.ts, fitted on the
 * launches inside the given history (training.ts), then applied at the end of the history.
 */
import { candidateFeatures, encodeCandidate, featureContext, FEATURE_NAMES, N_FEATURES, type FeatureOptions } from './features.js';
import { buildHistory, type History } from './history.js';
import { logit, type LogisticModel } from './model.js';
import { segmentCustomers, type CustomerSegment } from './segments.js';
import { takeSnapshot, type SnapshotOptions } from './snapshot.js';
import { trainAudienceModel, type TrainingOptions } from './training.js';
import type { AudienceCandidate, AudienceItem, CandidateAudience, DemandShare, OrderRow } from './types.js';

export interface RankingOptions {
  /**
   * The top K are chosen by logit + unitBlend · log(the customer's units per line), then listed
   * and scored by logit: 0 chooses by purchase probability, 1 by expected units (probability ×
   * typical quantity). Listing the chosen by logit puts the likeliest buyers first (NDCG).
   */
  unitBlend: number;
  /**
   * Slots of the `top` kept for volume: the best `top − unitSlots` by score, then the
   * `unitSlots` customers with the most expected units (probability × units per line) among the
   * rest; the audience is listed by score.
   */
  unitSlots: number;
}

export type AudienceOptions = SnapshotOptions & FeatureOptions & TrainingOptions & RankingOptions;

/** Chosen on rolling cut-offs inside the development history (see README.md). */
export const DEFAULT_AUDIENCE_OPTIONS: AudienceOptions = {
  halfLifeWeeks: 13,
  affinityHalfLifeWeeks: 13,
  newWeeks: 8,
  burnInWeeks: 4,
  shrink: 20,
  noveltyShrink: 20,
  neighbours: 20,
  codeScale: 10,
  trainCutoffs: 4,
  trainStepWeeks: 4,
  launchWindowWeeks: 4,
  truthWeeks: 13,
  minHistoryWeeks: 8,
  negatives: 300,
  unitWeight: 0,
  queryNorm: 0,
  unitBlend: 0,
  unitSlots: 0,
  pairsPerPositive: 10,
  pairBlend: 0.5,
  pairLambda: 1,
  l2: 1e-4,
  seed: 1,
};

export interface AudienceInput {
  orders: readonly OrderRow[];
  items: readonly AudienceItem[];
  candidates: readonly AudienceCandidate[];
  /** Customers kept per candidate. */
  top: number;
  options?: Partial<AudienceOptions>;
}

export interface AudienceResult {
  audiences: CandidateAudience[];
  segments: CustomerSegment[];
  /** The fitted combination; `trained: false` when the history had no launch to learn from. */
  model: { trained: boolean; queries: number; weights: Record<string, number> };
}

/**
 * Without launches to learn from, fall back to category affinity × activity (the strongest
 * single pair of features on the development set): equal weights on the standardised
 * log lines and category lift.
 */
function fallbackModel(): LogisticModel {
  const weights = new Float64Array(N_FEATURES);
  weights[FEATURE_NAMES.indexOf('log_lines')] = 1;
  weights[FEATURE_NAMES.indexOf('lift_category')] = 1;
  return { names: FEATURE_NAMES, mean: new Float64Array(N_FEATURES), scale: new Float64Array(N_FEATURES).fill(1), weights, intercept: -5 };
}

export function buildAudiences(input: AudienceInput): AudienceResult {
  const opt: AudienceOptions = { ...DEFAULT_AUDIENCE_OPTIONS, ...input.options };
  if (!Number.isInteger(input.top) || input.top <= 0) throw new Error(`top must be a positive integer, got ${input.top}`);
  const h = buildHistory(input.orders, input.items);
  const trained = trainAudienceModel(h, opt);
  const model = trained?.logistic ?? fallbackModel();
  return {
    ...scoreCandidates(h, model, input.candidates, input.top, opt),
    model: {
      trained: trained !== undefined,
      queries: trained?.queries ?? 0,
      weights: Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, model.weights[j]])),
    },
  };
}

function shares(totals: Map<string, number>): DemandShare[] {
  let sum = 0;
  for (const v of totals.values()) sum += v;
  return [...totals]
    .map(([key, v]) => ({ key, share: sum > 0 ? v / sum : 0 }))
    .sort((a, b) => b.share - a.share || (a.key < b.key ? -1 : 1));
}

export function scoreCandidates(
  h: History,
  model: LogisticModel,
  candidates: readonly AudienceCandidate[],
  top: number,
  opt: AudienceOptions,
): Omit<AudienceResult, 'model'> {
  const s = takeSnapshot(h, h.endWeek, opt);
  const ctx = featureContext(s, opt);
  const segments = segmentCustomers(s);
  const segmentOf = segments.map((x) => x.segment);
  const known = s.known;
  const n = known.length;
  // Units a customer buys per purchase line: turns purchase probability into expected units.
  const unitsPerLine = Float64Array.from(known, (c) => s.rawUnits[c] / s.rawLines[c]);
  const audiences: CandidateAudience[] = [];
  // score: the logit (what the audience is listed and scored by); pick: what chooses the top K.
  const score = new Float64Array(n);
  const units = new Float64Array(n);
  const order = new Int32Array(n);
  const pick = new Float64Array(n);
  for (const cand of candidates) {
    const X = candidateFeatures(ctx, encodeCandidate(s, cand), known);
    const byRegion = new Map<string, number>();
    const bySegment = new Map<string, number>();
    let expectedBuyers = 0;
    for (let r = 0; r < n; r++) {
      const eta = logit(model, X, r * N_FEATURES);
      score[r] = eta;
      pick[r] = eta + opt.unitBlend * Math.log(unitsPerLine[r]);
      order[r] = r;
      const p = 1 / (1 + Math.exp(-eta));
      expectedBuyers += p;
      units[r] = p * unitsPerLine[r];
      const c = known[r];
      byRegion.set(h.country[c], (byRegion.get(h.country[c]) ?? 0) + units[r]);
      bySegment.set(segmentOf[r], (bySegment.get(segmentOf[r]) ?? 0) + units[r]);
    }
    const ids = h.customers;
    const byId = (a: number, b: number) => (ids[known[a]] < ids[known[b]] ? -1 : ids[known[a]] > ids[known[b]] ? 1 : 0);
    const bestFirst = (a: number, b: number) => score[b] - score[a] || byId(a, b);
    let ranked = Array.from(order).sort((a, b) => pick[b] - pick[a] || byId(a, b));
    const slots = Math.min(Math.max(0, Math.floor(opt.unitSlots)), top);
    if (slots > 0) {
      const head = ranked.slice(0, top - slots);
      const volume = ranked.slice(top - slots).sort((a, b) => units[b] - units[a] || byId(a, b));
      ranked = [...head, ...volume.slice(0, slots)];
    }
    const chosen = ranked.slice(0, top).sort(bestFirst);
    audiences.push({
      itemId: cand.itemId,
      audience: chosen.map((r) => ({ customerId: ids[known[r]], score: score[r] })),
      expectedBuyers,
      byRegion: shares(byRegion),
      bySegment: shares(bySegment),
    });
  }
  return { audiences, segments };
}
