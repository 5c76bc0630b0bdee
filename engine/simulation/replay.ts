/**
 * Replay of a real shop's launches: the shop launched every item in its real launch week, so
 * there is no planner choice to replay, only how each launch is stocked. Demand is what the
 * launch sold week by week, prices are the shop's, costs follow stated assumptions (the data has
 * none). Policies: `naive` (8 weeks of the flat forecast and the merchandiser's reorder rule),
 * `naive-no-reorder`, and `closed-loop` (opening for lead time + review, reorders on the updated
 * curve), as on the synthetic marketplace (policies.ts).
 *
 * Sold-out weeks: the data has sales, not demand or stock. Sales are taken as demand, so where
 * the shop ran out true demand was higher; every policy is scored against the same lower bound
 * (lost sales are undercounted for all of them, and a policy cannot sell what the shop did not).
 */
import { DEFAULT_POLICY_CONFIG, closedLoopCurveUpdate, closedLoopItem, naiveItem, type PolicyConfig } from './policies.js';
import { simulateClosedLoop } from './simulate.js';
import type { WeeklyCurve } from '../replenishment/index.js';
import type { SimItem, SimulationResult } from './types.js';

export interface ReplayLaunch {
  id: string;
  category: string;
  /** Week index of the launch from the replay's first week. */
  launchWeek: number;
  price: number;
  /** The cold-start forecast per week after launch (its length is the season). */
  forecast: WeeklyCurve;
  /** Units sold per week after launch, same length as the forecast. */
  sold: readonly number[];
  /**
   * The item's own supplier terms where the data has them (a synthetic scope's past products);
   * each field left out follows the ReplayAssumptions.
   */
  terms?: Partial<{ unitCost: number; salvageValue: number; holdingCostPerWeek: number; leadTimeWeeks: number; moq: number }>;
}

export interface ReplayAssumptions {
  /** Unit cost as a share of price. */
  costShare: number;
  /** Salvage value per unsold unit at the season end, as a share of unit cost. */
  salvageShare: number;
  /** Holding cost per unit-week as a share of unit cost (25% a year = 0.25 / 52). */
  holdingSharePerWeek: number;
  leadTimeWeeks: number;
  moq: number;
  /** Weekly error correlation of the forecasts (1 for baseline curves, as buildScenario assumes). */
  weeklyCorrelation: number;
}

export const DEFAULT_REPLAY_ASSUMPTIONS: ReplayAssumptions = {
  costShare: 0.6,
  salvageShare: 0.5,
  holdingSharePerWeek: 0.25 / 52,
  leadTimeWeeks: 2,
  moq: 0,
  weeklyCorrelation: 1,
};

export const REPLAY_POLICIES = ['naive', 'naive-no-reorder', 'closed-loop'] as const;
export type ReplayPolicy = (typeof REPLAY_POLICIES)[number];

export function replayItems(policy: ReplayPolicy, launches: readonly ReplayLaunch[], a: ReplayAssumptions = DEFAULT_REPLAY_ASSUMPTIONS, config: Partial<PolicyConfig> = {}): SimItem[] {
  const cfg = { ...DEFAULT_POLICY_CONFIG, ...config };
  const update = cfg.updateCurve ?? closedLoopCurveUpdate(a.weeklyCorrelation, cfg);
  return launches.map((l) => {
    if (l.sold.length !== l.forecast.mean.length) throw new RangeError(`replayItems: ${l.id} has ${l.sold.length} weeks of sales for a ${l.forecast.mean.length}-week forecast`);
    const unitCost = l.terms?.unitCost ?? l.price * a.costShare;
    const supplier = {
      leadTimeWeeks: l.terms?.leadTimeWeeks ?? a.leadTimeWeeks,
      moq: l.terms?.moq ?? a.moq,
      price: l.price,
      unitCost,
      salvageValue: l.terms?.salvageValue ?? unitCost * a.salvageShare,
    };
    const base = {
      candidateId: l.id,
      category: l.category,
      launchWeek: l.launchWeek,
      openingLeadTimeWeeks: supplier.leadTimeWeeks,
      price: l.price,
      unitCost,
      salvageValue: supplier.salvageValue,
      holdingCostPerWeek: l.terms?.holdingCostPerWeek ?? unitCost * a.holdingSharePerWeek,
      forecast: l.forecast,
      demand: l.sold.map((x) => Math.max(0, x)),
    };
    const H = l.forecast.mean.length;
    const flat = l.forecast.mean.reduce((s, m) => s + m, 0) / Math.max(1, H);
    const naiveOpening = Math.max(supplier.moq, Math.ceil(cfg.naiveCoverWeeks * flat));
    if (policy === 'naive-no-reorder') return { ...base, openingQty: naiveOpening, reorder: { kind: 'none' } };
    if (policy === 'naive') return naiveItem(base, naiveOpening, supplier, cfg);
    return closedLoopItem(base, supplier, { weeklyCorrelation: a.weeklyCorrelation, distribution: 'lognormal', update }, cfg);
  });
}

/** Every replay policy over the same window (first launch to the last season's end). */
export function replayPolicies(launches: readonly ReplayLaunch[], a: ReplayAssumptions = DEFAULT_REPLAY_ASSUMPTIONS, config: Partial<PolicyConfig> = {}): Record<ReplayPolicy, SimulationResult> {
  const windowWeeks = launches.reduce((m, l) => Math.max(m, l.launchWeek + l.forecast.mean.length), 0);
  const out = {} as Record<ReplayPolicy, SimulationResult>;
  for (const p of REPLAY_POLICIES) out[p] = simulateClosedLoop(replayItems(p, launches, a, config), { windowWeeks });
  return out;
}
