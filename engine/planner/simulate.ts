/**
 * KPI simulation: play launch plans forward against true demand (the synthetic generator's
 * ground truth, or any TruthProvider) and score them on what a merchandiser would see: units
 * sold, revenue, margin, stock-out weeks, inventory turnover, and lift over a naive plan.
 *
 * Each launch receives its opening quantity in its launch week and sells min(on hand, demand)
 * for the coverage horizon H; a week with demand above stock on hand is a stock-out week;
 * leftovers after H weeks are salvaged. Holding is charged on end-of-week stock. Demand comes
 * from the provider given every launch of the plan, so cannibalisation between the plan's own
 * launches is part of the truth, not of the planner's estimate.
 */
import { buildModel, optionAt, weekDate } from './model.js';
import type { PlanResult, Scenario } from './types.js';

export interface TruthProvider {
  /**
   * True weekly demand in units of `candidateId` launched in planning week `launchWeek`, for
   * `weeks` weeks (index 0 = launch week), when the plan launches `launches`.
   */
  demand(candidateId: string, launchWeek: number, weeks: number, launches: { candidateId: string; week: number }[]): number[];
}

export interface SimLaunch {
  candidateId: string;
  week: number;
  qty: number;
}

export interface Kpis {
  launches: number;
  demandUnits: number;
  unitsSold: number;
  revenue: number;
  purchaseCost: number;
  salvage: number;
  holdingCost: number;
  /** revenue + salvage - purchase cost - holding cost. */
  margin: number;
  /** Launch-weeks in which demand exceeded stock on hand. */
  stockoutWeeks: number;
  lostUnits: number;
  /** unitsSold / demandUnits. */
  fillRate: number;
  /** Units sold / average end-of-week stock over the launch-weeks simulated. */
  turnover: number;
}

export function simulateLaunches(scenario: Scenario, launches: SimLaunch[], truth: TruthProvider): Kpis {
  const H = scenario.demand.horizonWeeks;
  const byId = new Map(scenario.candidates.map((c) => [c.id, c]));
  const all = launches.map((l) => ({ candidateId: l.candidateId, week: l.week }));
  const k: Kpis = { launches: 0, demandUnits: 0, unitsSold: 0, revenue: 0, purchaseCost: 0, salvage: 0, holdingCost: 0, margin: 0, stockoutWeeks: 0, lostUnits: 0, fillRate: 0, turnover: 0 };
  let stockSum = 0;
  let stockWeeks = 0;
  for (const l of launches) {
    const c = byId.get(l.candidateId);
    if (!c) throw new RangeError(`simulateLaunches: unknown candidate ${l.candidateId}`);
    const demand = truth.demand(l.candidateId, l.week, H, all);
    k.launches += 1;
    k.purchaseCost += c.unitCost * l.qty;
    let onHand = l.qty;
    for (let h = 0; h < H; h++) {
      const d = Math.max(0, demand[h] ?? 0);
      const sold = Math.min(onHand, d);
      if (d > onHand + 1e-9) {
        k.stockoutWeeks += 1;
        k.lostUnits += d - onHand;
      }
      onHand -= sold;
      k.demandUnits += d;
      k.unitsSold += sold;
      k.revenue += sold * c.price;
      k.holdingCost += onHand * c.holdingCostPerWeek;
      stockSum += onHand;
      stockWeeks += 1;
    }
    k.salvage += onHand * c.salvageValue;
  }
  k.margin = k.revenue + k.salvage - k.purchaseCost - k.holdingCost;
  k.fillRate = k.demandUnits > 0 ? k.unitsSold / k.demandUnits : 1;
  const avgStock = stockWeeks > 0 ? stockSum / stockWeeks : 0;
  k.turnover = avgStock > 0 ? k.unitsSold / avgStock : 0;
  return k;
}

/** The launches of a planner result. */
export function launchesOfPlan(plan: PlanResult): SimLaunch[] {
  return plan.items.map((i) => ({ candidateId: i.candidateId, week: i.week, qty: i.openingQty }));
}

/**
 * The naive plan: every candidate at its earliest possible week (window and lead time), with a
 * fixed cover of `coverWeeks` weeks of its forecast mean demand (at least the MOQ); fixed items
 * as they are. It ignores every rule, as a merchandiser without a planner would.
 */
export function naivePlan(scenario: Scenario, coverWeeks: number): SimLaunch[] {
  const m = buildModel(scenario);
  const out: SimLaunch[] = [];
  m.candidates.forEach((c, i) => {
    const f = m.fixed[i];
    if (f) {
      out.push({ candidateId: c.id, week: f.w, qty: f.qty });
      return;
    }
    const o = m.options[i][0];
    if (!o || !optionAt(m, i, o.w)) return;
    const weekly = o.mean / m.H;
    out.push({ candidateId: c.id, week: o.w, qty: Math.max(c.moq, Math.ceil(coverWeeks * weekly)) });
  });
  return out;
}

export interface ComparisonRow extends Kpis {
  plan: string;
  /** Margin lift over the naive plan (fraction). */
  liftVsNaive: number;
}

export function comparePlans(scenario: Scenario, truth: TruthProvider, plans: Record<string, SimLaunch[]>, baseline = 'naive'): ComparisonRow[] {
  const kpis = Object.entries(plans).map(([plan, launches]) => ({ plan, ...simulateLaunches(scenario, launches, truth) }));
  const base = kpis.find((k) => k.plan === baseline);
  return kpis.map((k) => ({ ...k, liftVsNaive: base && base.margin !== 0 ? (k.margin - base.margin) / Math.abs(base.margin) : 0 }));
}

export { weekDate };
