/**
 * Features of a (customer, candidate) pair, all computed from a Snapshot (purchases before the
 * cut-off) and the candidate's attributes only: the candidate has no buyers.
 *
 * - activity: recency-weighted lines and units, weeks active, weeks since the last purchase;
 * - novelty: the customer's share of lines on products in their first weeks, shrunk towards
 *   the population share (some customers buy what is new, others re-order staples);
 * - affinity to the candidate's category, keyword and stock-code prefix: the customer's share
 *   of lines with that value, shrunk towards the population share (a Beta prior of weight
 *   `shrink` lines), as a log lift over the population; plus the log count itself;
 * - price: how far the candidate's log price lies from the customer's recency-weighted mean,
 *   in units of the customer's spread (shrunk towards a population spread);
 * - like items: recency-weighted lines on the `neighbours` products most similar to the
 *   candidate (same category / keyword / prefix, close price), weighted by similarity;
 * - stock-code neighbourhood: lines on products whose numeric stock codes lie near the
 *   candidate's (a shop numbers a new range consecutively, so near codes are the same range).
 */
import { ATTRIBUTES, stockCode, weekNumber, type Attribute } from './history.js';
import type { Snapshot } from './snapshot.js';
import type { AudienceCandidate } from './types.js';

export const FEATURE_NAMES = [
  'log_lines',
  'log_units',
  'log_active_weeks',
  'log_weeks_since_last',
  'novelty',
  'lift_category',
  'lift_keyword',
  'lift_prefix',
  'log_lines_category',
  'log_lines_keyword',
  'log_lines_prefix',
  'price_distance',
  'like_items',
  'code_neighbours',
  'log_distinct_items',
  'log_new_lines',
  'log_units_per_line',
  'gap_x_weeks_since_last',
  'gap_x_log_lines',
  'log_weekly_rate',
  'log_tenure_weeks',
] as const;
export const N_FEATURES = FEATURE_NAMES.length;

export interface FeatureOptions {
  /** Prior weight (in lines) pulling a customer's attribute shares to the population's. */
  shrink: number;
  /** Prior weight pulling a customer's novelty share to the population's. */
  noveltyShrink: number;
  /** Products used for the like-item feature. */
  neighbours: number;
  /** Stock-code distance at which the neighbourhood weight halves. */
  codeScale: number;
}

/** A candidate as the features see it: attribute value ids in the history (-1 if unseen). */
export interface EncodedCandidate {
  itemId: string;
  /** Weeks from the cut-off to the launch (0 when unknown). */
  gapWeeks: number;
  values: Record<Attribute, number>;
  logPrice: number;
  code: number;
}

export function encodeCandidate(s: Snapshot, item: AudienceCandidate): EncodedCandidate {
  const values = {} as Record<Attribute, number>;
  for (const a of ATTRIBUTES) values[a] = s.h.values[a].get(item[a]) ?? -1;
  const gapWeeks = item.launchWeek === undefined ? 0 : Math.max(0, weekNumber(item.launchWeek) - s.cutoff);
  return { itemId: item.itemId, gapWeeks, values, logPrice: item.price > 0 ? Math.log(item.price) : Number.NaN, code: stockCode(item.itemId) };
}

/** Similarity of two products from attributes alone (used for like items and the baseline). */
export function itemSimilarity(s: Snapshot, cand: EncodedCandidate, j: number): number {
  const h = s.h;
  let sim = 0;
  if (cand.values.category >= 0 && h.attr.category[j] === cand.values.category) sim += 1;
  if (cand.values.keyword >= 0 && h.attr.keyword[j] === cand.values.keyword) sim += 1;
  if (cand.values.prefix >= 0 && h.attr.prefix[j] === cand.values.prefix) sim += 0.5;
  const lp = h.logPrice[j];
  if (Number.isFinite(lp) && Number.isFinite(cand.logPrice)) sim += 0.5 / (1 + 2 * Math.abs(lp - cand.logPrice));
  return sim;
}

/** The `n` products sold before the cut-off most similar to the candidate, with similarities. */
export function similarItems(s: Snapshot, cand: EncodedCandidate, n: number): Array<{ item: number; sim: number }> {
  // Ties (common: similarity takes few values) go to the product with more buyers; the order is
  // total, so keeping the best n by insertion gives exactly the first n of a full sort, without
  // sorting every product for every candidate (this ran for each training launch too).
  const before = (a: { item: number; sim: number; pop: number }, b: { item: number; sim: number; pop: number }) =>
    b.sim - a.sim || b.pop - a.pop || a.item - b.item;
  const best: Array<{ item: number; sim: number; pop: number }> = [];
  if (n <= 0) return [];
  for (let j = 0; j < s.h.items.length; j++) {
    const buyers = s.byItem[j];
    if (!buyers || s.h.items[j] === cand.itemId) continue;
    const x = { item: j, sim: itemSimilarity(s, cand, j), pop: buyers.size };
    if (best.length === n && before(x, best[n - 1]) >= 0) continue;
    let k = best.length === n ? n - 1 : best.length;
    while (k > 0 && before(x, best[k - 1]) < 0) {
      best[k] = best[k - 1];
      k--;
    }
    best[k] = x;
  }
  return best.map(({ item, sim }) => ({ item, sim }));
}

/** Per-cut-off constants shared by every candidate. */
export interface FeatureContext {
  s: Snapshot;
  opt: FeatureOptions;
  /** Population variance of log price around a customer's mean (the prior of the spread). */
  priceVar: number;
  /** Products sold before the cut-off with a numeric stock code, sorted by code. */
  codeItems: Int32Array;
}

const PRICE_VAR_FLOOR = 0.05 ** 2;

export function featureContext(s: Snapshot, opt: FeatureOptions): FeatureContext {
  let sw = 0;
  let sv = 0;
  for (const c of s.known) {
    sw += s.lines[c];
    sv += s.lines[c] * s.varLogPrice[c];
  }
  const coded: number[] = [];
  for (let j = 0; j < s.h.items.length; j++) if (s.byItem[j] && Number.isFinite(s.h.code[j])) coded.push(j);
  coded.sort((a, b) => s.h.code[a] - s.h.code[b]);
  // Floored: in a shop where every customer always pays one price the spread is 0 and the price
  // distance 0/0 would make every score NaN; prices within ~5% count as the same price.
  return { s, opt, priceVar: Math.max(sw > 0 ? sv / sw : 1, PRICE_VAR_FLOOR), codeItems: Int32Array.from(coded) };
}

/**
 * The feature matrix of one candidate against `customers` (row-major, N_FEATURES per row).
 * Customers must be known at the snapshot's cut-off.
 */
export function candidateFeatures(ctx: FeatureContext, cand: EncodedCandidate, customers: Int32Array): Float64Array {
  const { s, opt } = ctx;
  const F = N_FEATURES;
  const n = customers.length;
  const X = new Float64Array(n * F);
  // Row of each customer index (-1: not asked for); dense because lookups dominate the cost.
  const pos = new Int32Array(s.h.customers.length).fill(-1);
  for (let r = 0; r < n; r++) pos[customers[r]] = r;

  // Sparse accumulations over the buyers of related products, then one dense pass.
  const attrLines = ATTRIBUTES.map(() => new Float64Array(n));
  ATTRIBUTES.forEach((a, k) => {
    const v = cand.values[a];
    if (v < 0) return;
    for (const [c, w] of s.byValue[a][v]) {
      const r = pos[c];
      if (r >= 0) attrLines[k][r] = w;
    }
  });
  const like = new Float64Array(n);
  for (const { item, sim } of similarItems(s, cand, opt.neighbours)) {
    for (const [c, w] of s.byItem[item]!) {
      const r = pos[c];
      if (r >= 0) like[r] += sim * w;
    }
  }
  const near = new Float64Array(n);
  if (Number.isFinite(cand.code)) {
    const codes = ctx.codeItems;
    const reach = opt.codeScale * 6;
    for (let q = 0; q < codes.length; q++) {
      const j = codes[q];
      const d = Math.abs(s.h.code[j] - cand.code);
      if (d > reach || s.h.items[j] === cand.itemId) continue;
      const wj = Math.pow(0.5, d / opt.codeScale);
      for (const [c, w] of s.byItem[j]!) {
        const r = pos[c];
        if (r >= 0) near[r] += wj * w;
      }
    }
  }

  const share = ATTRIBUTES.map((a) => (cand.values[a] >= 0 ? s.valueShare[a][cand.values[a]] : 0));
  for (let r = 0; r < n; r++) {
    const c = customers[r];
    const o = r * F;
    const L = s.lines[c];
    const La = s.affinityLines[c];
    X[o] = Math.log1p(L);
    X[o + 1] = Math.log1p(s.units[c]);
    X[o + 2] = Math.log1p(s.activeWeeks[c]);
    X[o + 3] = Math.log1p(s.cutoff - 1 - s.lastWeek[c]);
    X[o + 4] = Math.log((s.newLines[c] + opt.noveltyShrink * s.newShare + 1e-3) / (L + opt.noveltyShrink) / (s.newShare + 1e-3));
    for (let k = 0; k < ATTRIBUTES.length; k++) {
      const p = share[k];
      X[o + 5 + k] = p > 0 ? Math.log((attrLines[k][r] + opt.shrink * p) / (La + opt.shrink) / p) : 0;
      X[o + 8 + k] = Math.log1p(attrLines[k][r]);
    }
    if (Number.isFinite(cand.logPrice) && s.lines[c] > 0) {
      // Spread shrunk towards the population's with a prior weight of 5 lines.
      const v = (s.lines[c] * s.varLogPrice[c] + 5 * ctx.priceVar) / (s.lines[c] + 5);
      X[o + 11] = Math.abs(cand.logPrice - s.meanLogPrice[c]) / Math.sqrt(v);
    }
    X[o + 12] = Math.log1p(like[r]);
    X[o + 13] = Math.log1p(near[r]);
    X[o + 14] = Math.log1p(s.distinctItems[c]);
    X[o + 15] = Math.log1p(s.newLines[c]);
    X[o + 16] = Math.log(s.rawUnits[c] / s.rawLines[c]);
    // A launch weeks away favours steady customers over merely recent ones.
    const gap = Math.log1p(cand.gapWeeks);
    X[o + 17] = gap * X[o + 3];
    X[o + 18] = gap * X[o];
    // Purchase weeks per week since the first purchase: a newcomer ordering every week is as
    // likely a buyer as a long-standing customer with many more active weeks.
    const tenure = s.cutoff - s.firstWeek[c];
    X[o + 19] = Math.log((s.activeWeeks[c] + 1) / (tenure + 2));
    X[o + 20] = Math.log(tenure);
  }
  return X;
}
