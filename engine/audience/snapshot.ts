/**
 * What is known about customers and products as of a cut-off week T (rows before T only):
 * recency-weighted purchase counts per customer, per (customer, attribute value) and per
 * (product, customer), population shares of attribute values, and each product's first week.
 * Every feature of features.ts is read from one of these, so a training query at an earlier
 * cut-off sees exactly what a real launch at that time would have seen.
 */
import { ATTRIBUTES, rowsBefore, type Attribute, type History } from './history.js';

export interface SnapshotOptions {
  /** Half-life of the recency weight of activity counts, in weeks. */
  halfLifeWeeks: number;
  /** Half-life of the recency weight of affinities (attribute values, products), in weeks. */
  affinityHalfLifeWeeks: number;
  /** A product counts as "new" for weeks [first sale, first sale + newWeeks). */
  newWeeks: number;
  /** Products first sold in the first `burnInWeeks` of the history are not known to be new. */
  burnInWeeks: number;
}

export interface Snapshot {
  h: History;
  cutoff: number;
  burnInWeeks: number;
  /** Customers with at least one purchase before the cut-off, ascending index. */
  known: Int32Array;
  /** Per customer (all of h.customers; zero when unknown at the cut-off). */
  lines: Float64Array;
  /** Lines weighted with the affinity half-life (the denominator of affinity shares). */
  affinityLines: Float64Array;
  units: Float64Array;
  value: Float64Array;
  rawLines: Float64Array;
  rawUnits: Float64Array;
  rawValue: Float64Array;
  activeWeeks: Float64Array;
  /** Distinct products bought. */
  distinctItems: Float64Array;
  firstWeek: Int32Array;
  lastWeek: Int32Array;
  /** Recency-weighted lines on products then new, and on products eligible to be new. */
  newLines: Float64Array;
  /** Recency-weighted mean and variance of log price bought. */
  meanLogPrice: Float64Array;
  varLogPrice: Float64Array;
  /** Per attribute value: population share of recency-weighted lines. */
  valueShare: Record<Attribute, Float64Array>;
  /** Per attribute value: customer → recency-weighted lines. */
  byValue: Record<Attribute, Array<Map<number, number>>>;
  /** Per product: customer → recency-weighted lines (products sold before the cut-off). */
  byItem: Array<Map<number, number> | undefined>;
  itemFirstWeek: Int32Array;
  /** Population share of lines on new products (the novelty prior). */
  newShare: number;
}

export function takeSnapshot(h: History, cutoff: number, opt: SnapshotOptions): Snapshot {
  const nc = h.customers.length;
  const ni = h.items.length;
  const end = rowsBefore(h, cutoff);
  const decay = Math.log(2) / opt.halfLifeWeeks;
  const affinityDecay = Math.log(2) / opt.affinityHalfLifeWeeks;
  const lines = new Float64Array(nc);
  const affinityLines = new Float64Array(nc);
  const units = new Float64Array(nc);
  const value = new Float64Array(nc);
  const rawLines = new Float64Array(nc);
  const rawUnits = new Float64Array(nc);
  const rawValue = new Float64Array(nc);
  const activeWeeks = new Float64Array(nc);
  const distinctItems = new Float64Array(nc);
  const firstWeek = new Int32Array(nc).fill(-1);
  const lastWeek = new Int32Array(nc).fill(-1);
  const newLines = new Float64Array(nc);
  const sumLp = new Float64Array(nc);
  const sumLp2 = new Float64Array(nc);
  const wLp = new Float64Array(nc);
  const itemFirstWeek = new Int32Array(ni).fill(-1);
  const byItem: Snapshot['byItem'] = new Array(ni);
  const byValue = {} as Snapshot['byValue'];
  const valueShare = {} as Snapshot['valueShare'];
  for (const a of ATTRIBUTES) {
    byValue[a] = Array.from({ length: h.values[a].size }, () => new Map<number, number>());
    valueShare[a] = new Float64Array(h.values[a].size);
  }
  let total = 0;
  let totalAffinity = 0;
  let totalNew = 0;
  for (let k = 0; k < end; k++) {
    const c = h.rowCustomer[k];
    const i = h.rowItem[k];
    const wk = h.rowWeek[k];
    const u = h.rowUnits[k];
    const w = Math.exp(-decay * (cutoff - 1 - wk));
    const wa = Math.exp(-affinityDecay * (cutoff - 1 - wk));
    if (itemFirstWeek[i] < 0) itemFirstWeek[i] = wk;
    if (lastWeek[c] !== wk) activeWeeks[c] += 1;
    if (firstWeek[c] < 0) firstWeek[c] = wk;
    lastWeek[c] = wk;
    lines[c] += w;
    affinityLines[c] += wa;
    units[c] += w * u;
    rawLines[c] += 1;
    rawUnits[c] += u;
    const lp = h.logPrice[i];
    if (Number.isFinite(lp)) {
      value[c] += w * u * Math.exp(lp);
      rawValue[c] += u * Math.exp(lp);
      sumLp[c] += w * lp;
      sumLp2[c] += w * lp * lp;
      wLp[c] += w;
    }
    total += w;
    totalAffinity += wa;
    if (itemFirstWeek[i] >= h.firstWeek + opt.burnInWeeks && wk < itemFirstWeek[i] + opt.newWeeks) {
      newLines[c] += w;
      totalNew += w;
    }
    let m = byItem[i];
    if (!m) byItem[i] = m = new Map();
    const before = m.get(c);
    if (before === undefined) distinctItems[c] += 1;
    m.set(c, (before ?? 0) + wa);
    for (const a of ATTRIBUTES) {
      const v = h.attr[a][i];
      if (v < 0) continue;
      const mv = byValue[a][v];
      mv.set(c, (mv.get(c) ?? 0) + wa);
      valueShare[a][v] += wa;
    }
  }
  for (const a of ATTRIBUTES) for (let v = 0; v < valueShare[a].length; v++) valueShare[a][v] /= totalAffinity || 1;
  const meanLogPrice = new Float64Array(nc);
  const varLogPrice = new Float64Array(nc);
  const knownList: number[] = [];
  for (let c = 0; c < nc; c++) {
    if (lastWeek[c] < 0) continue;
    knownList.push(c);
    if (wLp[c] > 0) {
      meanLogPrice[c] = sumLp[c] / wLp[c];
      varLogPrice[c] = Math.max(0, sumLp2[c] / wLp[c] - meanLogPrice[c] ** 2);
    }
  }
  return {
    h,
    cutoff,
    burnInWeeks: opt.burnInWeeks,
    known: Int32Array.from(knownList),
    lines,
    affinityLines,
    units,
    value,
    rawLines,
    rawUnits,
    rawValue,
    activeWeeks,
    distinctItems,
    firstWeek,
    lastWeek,
    newLines,
    meanLogPrice,
    varLogPrice,
    valueShare,
    byValue,
    byItem,
    itemFirstWeek,
    newShare: totalNew / (total || 1),
  };
}
