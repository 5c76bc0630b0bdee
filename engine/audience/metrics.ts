/**
 * Audience metrics exactly as shared/data/audience-dev/score.py defines them. Evaluated
 * candidates: those with at least one known buyer (a truth customer who is in `known`).
 * Per candidate, B = its known buyers, T = its top K predictions (duplicates of a customer:
 * the first kept; order: score descending, then customer id ascending as text):
 *   recall = |T ∩ B| / |B|, precision = |T ∩ B| / K,
 *   NDCG = Σ_{r ≤ K, T_r ∈ B} 1/log2(r+1) / Σ_{r ≤ min(K,|B|)} 1/log2(r+1),
 *   unit recall = units of T ∩ B / units of B.
 * Averages over evaluated candidates (no predictions: 0); coverage = share with any prediction.
 */
import type { TruthRow } from './types.js';

export interface Prediction {
  itemId: string;
  customerId: string;
  score: number;
}

export interface AudienceMetrics {
  recall: number;
  precision: number;
  ndcg: number;
  unitRecall: number;
  coverage: number;
  evaluated: number;
  candidates: number;
}

export interface MetricsInput {
  predictions: readonly Prediction[];
  truth: readonly TruthRow[];
  /** Customers with orders before the cut-off. */
  known: ReadonlySet<string>;
  /** Candidate item ids, in file order. */
  candidates: readonly string[];
  k: number;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function audienceMetrics({ predictions, truth, known, candidates, k }: MetricsInput): AudienceMetrics {
  const buyers = new Map<string, Map<string, number>>();
  for (const t of truth) {
    if (!known.has(t.customerId)) continue;
    let b = buyers.get(t.itemId);
    if (!b) buyers.set(t.itemId, (b = new Map()));
    b.set(t.customerId, t.units);
  }
  const evaluated = candidates.filter((c) => buyers.has(c));
  const evalSet = new Set(evaluated);
  const perItem = new Map<string, Prediction[]>();
  const seen = new Set<string>();
  for (const p of predictions) {
    if (!evalSet.has(p.itemId)) continue;
    const key = `${p.itemId}\u0000${p.customerId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let list = perItem.get(p.itemId);
    if (!list) perItem.set(p.itemId, (list = []));
    list.push(p);
  }
  const disc = Array.from({ length: k }, (_, r) => 1 / Math.log2(r + 2));
  let rec = 0;
  let prec = 0;
  let ndcg = 0;
  let urec = 0;
  let cov = 0;
  for (const item of evaluated) {
    const b = buyers.get(item)!;
    const top = (perItem.get(item) ?? []).slice().sort((x, y) => y.score - x.score || byText(x.customerId, y.customerId)).slice(0, k);
    let hits = 0;
    let dcg = 0;
    let units = 0;
    top.forEach((p, r) => {
      const u = b.get(p.customerId);
      if (u === undefined) return;
      hits++;
      dcg += disc[r];
      units += u;
    });
    let ideal = 0;
    for (let r = 0; r < Math.min(k, b.size); r++) ideal += disc[r];
    let total = 0;
    for (const u of b.values()) total += u;
    rec += hits / b.size;
    prec += hits / k;
    ndcg += dcg / ideal;
    urec += total > 0 ? units / total : 0;
    if (top.length > 0) cov++;
  }
  const n = evaluated.length || 1;
  return { recall: rec / n, precision: prec / n, ndcg: ndcg / n, unitRecall: urec / n, coverage: cov / n, evaluated: evaluated.length, candidates: candidates.length };
}
