/**
 * Weekly pre-launch signal rows reduced to one number per measure and item: the mean weekly
 * count over the weeks that recorded the measure. A mean, not a sum, so items announced 4 or 8
 * weeks ahead (or with a week missing) sit on the same scale.
 */

export type SignalMeasure = 'views' | 'wishlists' | 'preorders' | 'notifySignups';
export const SIGNAL_MEASURES: readonly SignalMeasure[] = ['views', 'wishlists', 'preorders', 'notifySignups'];

/** One stored week of an item's signals; null/undefined = not recorded. */
export interface SignalWeek {
  itemId: string;
  week: string;
  views?: number | null;
  wishlists?: number | null;
  preorders?: number | null;
  notifySignups?: number | null;
}

/** Mean weekly count per recorded measure; a measure never recorded is absent. */
export type SignalSummary = Partial<Record<SignalMeasure, number>>;

export function summariseSignals(rows: readonly SignalWeek[]): Map<string, SignalSummary> {
  const acc = new Map<string, Record<SignalMeasure, { sum: number; n: number }>>();
  for (const r of rows) {
    let a = acc.get(r.itemId);
    if (!a) acc.set(r.itemId, (a = { views: { sum: 0, n: 0 }, wishlists: { sum: 0, n: 0 }, preorders: { sum: 0, n: 0 }, notifySignups: { sum: 0, n: 0 } }));
    for (const m of SIGNAL_MEASURES) {
      const v = r[m];
      if (v === null || v === undefined || !Number.isFinite(v) || v < 0) continue;
      a[m].sum += v;
      a[m].n++;
    }
  }
  const out = new Map<string, SignalSummary>();
  for (const [item, a] of acc) {
    const s: SignalSummary = {};
    for (const m of SIGNAL_MEASURES) if (a[m].n > 0) s[m] = a[m].sum / a[m].n;
    if (Object.keys(s).length > 0) out.set(item, s);
  }
  return out;
}
