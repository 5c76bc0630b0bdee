/**
 * The time-honest launch loop bench:curve-update (its calibration launches) and
 * bench:update-choice (each shop's past launches) share: at each cut, the items first sold in the
 * `launchWeeks` weeks from it are launches (engine/coldstart timeHonestSplit), their prior comes
 * from the history before the cut and their actual units from what the data holds after it.
 */
import { timeHonestSplit, type ItemRow, type SalesRow } from '../engine/coldstart/index.js';

export type Split = ReturnType<typeof timeHonestSplit>;

export interface CutLaunch<P> {
  itemId: string;
  launchWeek: string;
  prior: P;
  actual: number[];
}

/**
 * Each cut's launches with their prior, cut by cut in the split's candidate order. A launch with
 * no prior or an all-zero one (nothing like it sold before the cut) is left out: nothing to update.
 */
export async function timeHonestLaunches<P extends { mean: readonly number[] }>(
  data: { sales: SalesRow[]; items: ItemRow[] },
  cuts: Iterable<string>,
  o: { horizon: number; launchWeeks: number },
  priors: (split: Split, cut: string) => Map<string, P> | Promise<Map<string, P>>,
): Promise<CutLaunch<P>[]> {
  const out: CutLaunch<P>[] = [];
  for (const cut of cuts) {
    const split = timeHonestSplit({ sales: data.sales, items: data.items, cut, horizon: o.horizon, launchWeeks: o.launchWeeks });
    const pr = await priors(split, cut);
    for (const c of split.candidates) {
      const prior = pr.get(c.itemId);
      if (!prior || !prior.mean.some((v) => v > 0)) continue;
      out.push({ itemId: c.itemId, launchWeek: c.launchWeek, prior, actual: split.truth.get(c.itemId)! });
    }
  }
  return out;
}

/** A like-item mean with the baseline's spread (withBaselineIntervals' documented sd = sqrt(m + (0.6 m)²)). */
export function withBaselineSpread(mean: number[]): { mean: number[]; sd: number[] } {
  return { mean, sd: mean.map((m) => Math.sqrt(m + (0.6 * m) ** 2)) };
}
