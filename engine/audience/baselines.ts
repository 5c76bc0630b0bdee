/**
 * Reference audiences the learned model must beat (the baselines of the issue):
 * - popularity: customers by units bought in the last 26 weeks, the same list for every candidate;
 * - like-item buyers: customers by how many of the candidate's 20 most similar products
 *   (features.ts `itemSimilarity`) they bought, ties broken by units on them;
 * - order timing: customers by the number of weeks with an order that a BG/NBD fitted on their
 *   past order weeks (bgnbd.ts) expects in the candidate's first 13 weeks: who will be ordering
 *   when it comes out, with no regard to what it is.
 */
import { expectedOrdersBetween, fitBgnbd, type RfmSummary } from './bgnbd.js';
import { encodeCandidate, similarItems } from './features.js';
import { buildHistory, rowsBefore } from './history.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';
import { DEFAULT_AUDIENCE_OPTIONS } from './audience.js';
import type { AudienceCandidate, AudienceItem, AudienceMember, OrderRow } from './types.js';

export interface BaselineInput {
  orders: readonly OrderRow[];
  items: readonly AudienceItem[];
  candidates: readonly AudienceCandidate[];
  top: number;
}

export interface BaselineAudience {
  itemId: string;
  audience: AudienceMember[];
}

function topOf(ids: string[], score: Map<number, number>, top: number): AudienceMember[] {
  return [...score]
    .sort((a, b) => b[1] - a[1] || (ids[a[0]] < ids[b[0]] ? -1 : ids[a[0]] > ids[b[0]] ? 1 : 0))
    .slice(0, top)
    .map(([c, score]) => ({ customerId: ids[c], score }));
}

export function popularityAudience(input: BaselineInput, weeks = 26): BaselineAudience[] {
  const h = buildHistory(input.orders, input.items);
  const units = new Map<number, number>();
  for (let k = rowsBefore(h, h.endWeek - weeks); k < h.rowCustomer.length; k++) {
    units.set(h.rowCustomer[k], (units.get(h.rowCustomer[k]) ?? 0) + h.rowUnits[k]);
  }
  const list = topOf(h.customers, units, input.top);
  return input.candidates.map((c) => ({ itemId: c.itemId, audience: list }));
}

export function likeItemAudience(input: BaselineInput, neighbours = 20): BaselineAudience[] {
  const h = buildHistory(input.orders, input.items);
  const s = takeSnapshot(h, h.endWeek, DEFAULT_AUDIENCE_OPTIONS);
  return input.candidates.map((cand) => {
    const bought = new Map<number, number>();
    const units = new Map<number, number>();
    const like = similarItems(s, encodeCandidate(s, cand), neighbours);
    const likeSet = new Set(like.map((x) => x.item));
    for (let k = 0; k < h.rowItem.length; k++) {
      if (!likeSet.has(h.rowItem[k])) continue;
      const c = h.rowCustomer[k];
      units.set(c, (units.get(c) ?? 0) + h.rowUnits[k]);
    }
    for (const { item } of like) for (const c of s.byItem[item]!.keys()) bought.set(c, (bought.get(c) ?? 0) + 1);
    // Count first; units only order customers who bought equally many (u / (1 + u) < 1).
    const score = new Map<number, number>();
    for (const [c, n] of bought) score.set(c, n + units.get(c)! / (1 + units.get(c)!));
    return { itemId: cand.itemId, audience: topOf(h.customers, score, input.top) };
  });
}

/** Per customer known at the snapshot: (repeat order weeks, last − first week, cut-off − first week). */
function orderWeekSummaries(s: Snapshot): Map<number, RfmSummary> {
  const out = new Map<number, RfmSummary>();
  for (const c of s.known) out.set(c, { x: s.activeWeeks[c] - 1, tx: s.lastWeek[c] - s.firstWeek[c], T: s.cutoff - s.firstWeek[c] });
  return out;
}

export function orderTimingAudience(input: BaselineInput, truthWeeks = 13): BaselineAudience[] {
  const h = buildHistory(input.orders, input.items);
  const s = takeSnapshot(h, h.endWeek, DEFAULT_AUDIENCE_OPTIONS);
  const rfm = orderWeekSummaries(s);
  const params = fitBgnbd([...rfm.values()]);
  // Candidates share launch weeks, so the ranking is computed once per distance to the launch.
  const byGap = new Map<number, AudienceMember[]>();
  return input.candidates.map((cand) => {
    const gap = encodeCandidate(s, cand).gapWeeks;
    let list = byGap.get(gap);
    if (!list) {
      const score = new Map<number, number>();
      for (const [c, x] of rfm) score.set(c, expectedOrdersBetween(params, x, gap, gap + truthWeeks));
      byGap.set(gap, (list = topOf(h.customers, score, input.top)));
    }
    return { itemId: cand.itemId, audience: list };
  });
}
