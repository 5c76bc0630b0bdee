/**
 * Pre-launch interest: weekly product-page views, wish-lists, pre-orders and notify-me sign-ups
 * recorded before an item goes on sale, for past launches (the weeks before their launch week)
 * and for candidates (the weeks up to `asOf`: they are announced, not yet on sale).
 *
 * Each measure is tied to the item's TRUE launch demand with its own noise:
 *
 *   intent       I = (mean weekly true demand over the first 13 weeks) × lognormal(0, 0.2)
 *   views/week     = traffic[category] × I^0.9 × exposure,         exposure ~ lognormal(0, 0.45)
 *   wish-lists     = views thinned with p = 3 % × exposure^-0.7 × lognormal(0, 0.25)
 *   pre-orders     = views thinned with p = 0.6 % × exposure^-0.9 × lognormal(0, 0.2)
 *   notify-me      = views thinned with p = 1.5 % × exposure^-0.8 × lognormal(0, 0.25)
 *
 * Exposure is how hard the page was pushed (newsletters, ads): it inflates views much more than
 * intent, so the deeper a measure sits in the funnel the less exposure noise it carries, and the
 * fewer counts it has (Poisson noise for small items). Interest builds towards launch (weekly
 * weights rise by half over the window). Thinning with p ≤ 10 % is drawn as Poisson, which is
 * the binomial's limit there.
 *
 * Missingness, as shops record it: 15 % of items have no signals at all; views are missing for
 * 10 % of the others and wish-lists for 20 %; 45 % take pre-orders, and of the rest 70 % offer
 * notify-me; any recorded week drops one measure with 5 % probability.
 *
 * The table has no region: a past product sold in every region has its interest recorded per
 * region offered (its mean region), the scale of a candidate, which is launched in one region.
 *
 * All draws come from streams named `prelaunch:…` (random.ts), so the rest of the marketplace
 * is the same, row for row, as before signals existed.
 */
import { addWeeks } from '../../engine/calendar/index.js';
import type { PrelaunchSignalInsert } from '../../db/repositories/prelaunch-signals.repository.js';
import { SIGNAL_MEASURES, type SignalMeasure } from '../../engine/prelaunch/index.js';
import { stream, type Rng } from './random.js';

export { SIGNAL_MEASURES, type SignalMeasure };

/** What produced an item's signals (in the ground truth). */
export interface PrelaunchSignalTruth {
  itemId: string;
  kind: 'product' | 'candidate';
  /** Mean weekly true expected demand over the first 13 weeks (per region offered), what the signals measure. */
  weeklyDemand: number;
  /** Launch week the demand is measured from (candidates: their earliest week). */
  launchWeek: string;
  intent: number;
  exposure: number;
  /** Per-view conversion of each funnel measure (absent when the item does not record it). */
  rates: Partial<Record<Exclude<SignalMeasure, 'views'>, number>>;
  /** Measures recorded for this item (none when `recorded` is false). */
  measures: SignalMeasure[];
  /** False for the items that have no signals at all (no rows). */
  recorded: boolean;
  /** Recorded weeks (ISO Mondays), oldest first. */
  weeks: string[];
}

const BETA = 0.9;
const INTENT_SIGMA = 0.2;
const EXPOSURE_SIGMA = 0.45;
const FUNNEL = {
  wishlists: { rate: 0.03, elasticity: -0.7, sigma: 0.25 },
  preorders: { rate: 0.006, elasticity: -0.9, sigma: 0.2 },
  notifySignups: { rate: 0.015, elasticity: -0.8, sigma: 0.25 },
} as const;

/** Views per unit of weekly demand (to the power BETA), by category: how browsed it is. */
export function categoryTraffic(seed: number, categories: readonly string[]): Record<string, number> {
  const rng = stream(seed, 'prelaunch:traffic');
  return Object.fromEntries(categories.map((c) => [c, rng.logUniform(25, 90)]));
}

export interface SignalItem {
  itemId: string;
  kind: 'product' | 'candidate';
  category: string;
  launchWeek: string;
  /** Mean weekly true demand over the first 13 weeks; ≤ 0 or non-finite: no signals. */
  weeklyDemand: number;
  /** Last week that can hold a signal row (the week before launch, or `asOf` for candidates). */
  lastWeek: string;
}

export function drawSignals(
  seed: number,
  items: readonly SignalItem[],
  traffic: Record<string, number>,
): { rows: PrelaunchSignalInsert[]; truth: Record<string, PrelaunchSignalTruth> } {
  const rows: PrelaunchSignalInsert[] = [];
  const truth: Record<string, PrelaunchSignalTruth> = {};
  for (const item of items) {
    const rng = stream(seed, `prelaunch:${item.itemId}`);
    const t = drawItemSignals(rng, item, traffic[item.category] ?? 50, rows);
    truth[item.itemId] = t;
  }
  return { rows, truth };
}

function drawItemSignals(rng: Rng, item: SignalItem, traffic: number, rows: PrelaunchSignalInsert[]): PrelaunchSignalTruth {
  // Every draw is made whatever the outcome, so one item's stream does not depend on its branch.
  const recorded = rng.chance(0.85) && item.weeklyDemand > 0 && Number.isFinite(item.weeklyDemand);
  const intent = Math.max(0, item.weeklyDemand) * rng.lognormal(1, INTENT_SIGMA);
  const exposure = rng.lognormal(1, EXPOSURE_SIGMA);
  const hasViews = !rng.chance(0.1);
  const hasWish = !rng.chance(0.2);
  const preorderEnabled = rng.chance(0.45);
  const hasNotify = !preorderEnabled && rng.chance(0.7);
  const conv = (m: keyof typeof FUNNEL) => FUNNEL[m].rate * Math.pow(exposure, FUNNEL[m].elasticity) * rng.lognormal(1, FUNNEL[m].sigma);
  const wishRate = conv('wishlists');
  const preRate = conv('preorders');
  const notifyRate = conv('notifySignups');
  const n = rng.int(4, 8);
  const measures: SignalMeasure[] = [];
  if (recorded) {
    if (hasViews) measures.push('views');
    if (hasWish) measures.push('wishlists');
    if (preorderEnabled) measures.push('preorders');
    if (hasNotify) measures.push('notifySignups');
  }
  const weeks = recorded && measures.length > 0 ? Array.from({ length: n }, (_, j) => addWeeks(item.lastWeek, j - n + 1)) : [];
  const level = traffic * Math.pow(intent, BETA) * exposure;
  weeks.forEach((week, j) => {
    // Interest builds towards launch: weights from 1 to 1.5 over the window, mean 1.25 → 1.
    const weight = (1 + (0.5 * j) / Math.max(1, n - 1)) / 1.25;
    const views = rng.poisson(level * weight * rng.lognormal(1, 0.15));
    const row: PrelaunchSignalInsert & Record<SignalMeasure, number | null> = { itemId: item.itemId, week, views: null, wishlists: null, preorders: null, notifySignups: null };
    const keep = () => !rng.chance(0.05);
    if (hasViews && keep()) row.views = views;
    const wishlists = rng.poisson(views * wishRate);
    if (hasWish && keep()) row.wishlists = wishlists;
    const preorders = rng.poisson(views * preRate);
    if (preorderEnabled && keep()) row.preorders = preorders;
    const notify = rng.poisson(views * notifyRate);
    if (hasNotify && keep()) row.notifySignups = notify;
    if (row.views !== null || row.wishlists !== null || row.preorders !== null || row.notifySignups !== null) rows.push(row);
  });
  return {
    itemId: item.itemId,
    kind: item.kind,
    weeklyDemand: item.weeklyDemand,
    launchWeek: item.launchWeek,
    intent,
    exposure,
    rates: {
      ...(hasWish ? { wishlists: wishRate } : {}),
      ...(preorderEnabled ? { preorders: preRate } : {}),
      ...(hasNotify ? { notifySignups: notifyRate } : {}),
    },
    measures,
    recorded: weeks.length > 0,
    weeks,
  };
}
