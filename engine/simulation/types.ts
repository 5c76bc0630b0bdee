/**
 * Contracts of the closed-loop KPI simulation: the launched items it plays week by week, the
 * reorder rule each follows, and the KPIs it returns (definitions in README.md).
 */
import type { ReplenishmentParams, WeeklyCurve } from '../replenishment/index.js';

/**
 * Updates a launch curve from the sales of its first weeks. `observed[h]` are the units sold in
 * week-after-launch h (h < observed.length); `censored[h]` is true when the item ran out that
 * week, so demand was at least, not equal to, the sales. Returns the curve for the whole season.
 */
export type CurveUpdate = (prior: WeeklyCurve, observed: readonly number[], censored: readonly boolean[]) => WeeklyCurve;

export type ReorderRule =
  /** No reorders: one opening order for the season. */
  | { kind: 'none' }
  /** engine/replenishment's (R, S) policy on the curve, updated from sales when `updateCurve` is given. */
  | { kind: 'order-up-to'; params: ReplenishmentParams; updateCurve?: CurveUpdate }
  /**
   * A merchandiser's rule without a planner: every week, when stock on hand plus on order falls
   * below `triggerWeeks` of the flat weekly forecast, order `coverWeeks` of it (MOQ, case pack).
   */
  | { kind: 'fixed-cover'; weeklyForecast: number; triggerWeeks: number; coverWeeks: number; leadTimeWeeks: number; moq: number; casePack: number };

export interface SimItem {
  candidateId: string;
  /** Calendar week index of the launch (the opening order is on hand at its start). */
  launchWeek: number;
  openingQty: number;
  /** Weeks between placing the opening order and the launch (capital in transit before launch). */
  openingLeadTimeWeeks: number;
  price: number;
  unitCost: number;
  /** Value per unit left at the end of the season. */
  salvageValue: number;
  holdingCostPerWeek: number;
  /** The launch forecast per week after launch; its length is the item's season. */
  forecast: WeeklyCurve;
  /** True demand per week after launch, same length as the forecast. */
  demand: readonly number[];
  reorder: ReorderRule;
  /**
   * Re-sizing before launch: when the opening order is placed (launchWeek - openingLeadTimeWeeks,
   * or week 0), the forecast is rescaled by what `update` learns from the sales so far of the
   * launched items of `category` (their weeks pooled), and the opening becomes `size(curve)`; the
   * rescaled curve is also the prior of the item's own reorders. Without it `openingQty` stands.
   */
  resize?: { category: string; update: CurveUpdate; size: (curve: WeeklyCurve) => number };
  /** Category of the item (pooled evidence for other items' re-sizing). */
  category?: string;
}

export interface OrderRecord {
  candidateId: string;
  kind: 'opening' | 'reorder';
  /** Calendar week the order is placed and the week it is on hand. */
  week: number;
  arrivalWeek: number;
  qty: number;
}

export interface ClosedLoopKpis {
  launches: number;
  demandUnits: number;
  unitsSold: number;
  lostUnits: number;
  revenue: number;
  /** Every unit ordered (opening and reorders) at unit cost. */
  purchaseCost: number;
  /** Cost of goods sold: units sold at unit cost. */
  cogs: number;
  salvage: number;
  holdingCost: number;
  /** revenue + salvage - purchase cost - holding cost. */
  margin: number;
  /** unitsSold / demandUnits (1 when there is no demand). */
  fillRate: number;
  /** Item-weeks on sale (launch week to season end). */
  itemWeeks: number;
  /** Item-weeks that started with stock on hand. */
  inStockWeeks: number;
  /** Item-weeks in which demand exceeded stock on hand. */
  stockoutWeeks: number;
  /** Mean over the window's calendar weeks of stock at cost (mid-week: mean of start and end). */
  avgInventoryCost: number;
  /** cogs / avgInventoryCost over the window. */
  turnover: number;
  /** Largest stock on hand plus on order, at cost, at the start of any week. */
  peakCapital: number;
  reorders: number;
  reorderUnits: number;
  /** Units left at the end of seasons (salvaged). */
  leftoverUnits: number;
}

export interface SimulationResult {
  kpis: ClosedLoopKpis;
  orders: OrderRecord[];
  /** Calendar weeks simulated. */
  windowWeeks: number;
}
