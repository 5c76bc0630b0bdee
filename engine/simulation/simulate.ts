/**
 * Closed-loop KPI simulation: plays launched items week by week against their true demand,
 * running the adjust stage's decisions each week: sales arrive (min of stock and demand, the
 * rest lost), the curve is updated from the weeks observed so far (stock-out weeks censored),
 * and the reorder rule places orders that arrive after the supplier lead time. At the end of an
 * item's season what is left is salvaged. KPI definitions: README.md.
 *
 * Order of events in a week (start to end): receive orders due, review (update the curve, place
 * a reorder), sell, charge holding on the stock left. An order placed at the start of week t
 * with lead time L is on hand at the start of week t + L.
 */
import { isReviewWeek, reviewLaunchedItem, roundOrderQuantity, type WeeklyCurve } from '../replenishment/index.js';
import type { ClosedLoopKpis, CurveUpdate, OrderRecord, SimItem, SimulationResult } from './types.js';

export interface SimulateOptions {
  /**
   * Calendar weeks over which average inventory (turnover) is measured; give the same window to
   * every policy compared. Default: through the last item's season end.
   */
  windowWeeks?: number;
}

interface ItemState {
  item: SimItem;
  /** The forecast the item's reorders start from (the launch forecast, or its re-sized one). */
  prior: WeeklyCurve;
  openingQty: number;
  /** Week the opening order is placed (its quantity is decided then). */
  openingWeek: number;
  opened: boolean;
  season: number;
  onHand: number;
  /** Units arriving at the start of week-after-launch h. */
  pipeline: Map<number, number>;
  onOrder: number;
  sales: number[];
  censored: boolean[];
}

const EPS = 1e-9;

export function simulateClosedLoop(items: readonly SimItem[], options: SimulateOptions = {}): SimulationResult {
  for (const it of items) {
    if (it.demand.length !== it.forecast.mean.length) throw new RangeError(`simulateClosedLoop: ${it.candidateId} has ${it.demand.length} demand weeks for a ${it.forecast.mean.length}-week season`);
    if (!Number.isInteger(it.launchWeek) || it.launchWeek < 0) throw new RangeError(`simulateClosedLoop: ${it.candidateId} launch week must be a whole number ≥ 0, got ${it.launchWeek}`);
    if (!(it.openingQty >= 0)) throw new RangeError(`simulateClosedLoop: ${it.candidateId} opening quantity must be ≥ 0, got ${it.openingQty}`);
  }
  const end = items.reduce((m, it) => Math.max(m, it.launchWeek + it.forecast.mean.length), 0);
  const T = Math.max(end, options.windowWeeks ?? 0);
  const k: ClosedLoopKpis = {
    launches: items.length,
    demandUnits: 0,
    unitsSold: 0,
    lostUnits: 0,
    revenue: 0,
    purchaseCost: 0,
    cogs: 0,
    salvage: 0,
    holdingCost: 0,
    margin: 0,
    fillRate: 1,
    itemWeeks: 0,
    inStockWeeks: 0,
    stockoutWeeks: 0,
    avgInventoryCost: 0,
    turnover: 0,
    peakCapital: 0,
    reorders: 0,
    reorderUnits: 0,
    leftoverUnits: 0,
  };
  const orders: OrderRecord[] = [];
  const states: ItemState[] = items.map((item) => ({
    item,
    prior: item.forecast,
    openingQty: item.openingQty,
    openingWeek: item.launchWeek - item.openingLeadTimeWeeks,
    opened: false,
    season: item.forecast.mean.length,
    onHand: 0,
    pipeline: new Map(),
    onOrder: 0,
    sales: [],
    censored: [],
  }));
  const open = (s: ItemState, t: number) => {
    if (s.item.resize) {
      s.prior = resized(s.item.forecast, s.item.resize.category, s.item.resize.update, states);
      s.openingQty = s.item.resize.size(s.prior);
      if (!(s.openingQty >= 0)) throw new RangeError(`simulateClosedLoop: ${s.item.candidateId} re-sized opening must be ≥ 0, got ${s.openingQty}`);
    }
    s.opened = true;
    s.pipeline.set(0, s.openingQty);
    s.onOrder = s.openingQty;
    k.purchaseCost += s.openingQty * s.item.unitCost;
    orders.push({ candidateId: s.item.candidateId, kind: 'opening', week: s.item.resize ? Math.max(t, s.openingWeek) : s.openingWeek, arrivalWeek: s.item.launchWeek, qty: s.openingQty });
  };
  // Openings ordered before the simulation starts are decided on what is known at week 0.
  for (const s of states) if (s.openingWeek <= 0) open(s, 0);

  let inventoryCostSum = 0;
  for (let t = 0; t < T; t++) {
    let capital = 0;
    // Openings due this week are decided first, on the sales of the weeks before.
    for (const s of states) if (!s.opened && s.openingWeek <= t) open(s, t);
    for (const s of states) {
      const { item } = s;
      const h = t - item.launchWeek;
      if (h < 0) {
        // The opening order is paid and in transit from its order week.
        if (s.opened) capital += s.openingQty * item.unitCost;
        continue;
      }
      if (h >= s.season) continue;
      const arriving = s.pipeline.get(h) ?? 0;
      s.onHand += arriving;
      s.onOrder -= arriving;
      s.pipeline.delete(h);
      placeReorder(s, h, t, orders, k);
      capital += (s.onHand + s.onOrder) * item.unitCost;

      const start = s.onHand;
      const d = Math.max(0, item.demand[h]);
      const sold = Math.min(start, d);
      s.onHand = start - sold;
      s.sales.push(sold);
      s.censored.push(d > start + EPS);
      k.itemWeeks += 1;
      if (start > EPS) k.inStockWeeks += 1;
      if (d > start + EPS) k.stockoutWeeks += 1;
      k.demandUnits += d;
      k.unitsSold += sold;
      k.lostUnits += d - sold;
      k.revenue += sold * item.price;
      k.cogs += sold * item.unitCost;
      k.holdingCost += s.onHand * item.holdingCostPerWeek;
      inventoryCostSum += ((start + s.onHand) / 2) * item.unitCost;
      if (h === s.season - 1) {
        k.salvage += s.onHand * item.salvageValue;
        k.leftoverUnits += s.onHand;
        s.onHand = 0;
      }
    }
    k.peakCapital = Math.max(k.peakCapital, capital);
  }
  k.margin = k.revenue + k.salvage - k.purchaseCost - k.holdingCost;
  k.fillRate = k.demandUnits > 0 ? k.unitsSold / k.demandUnits : 1;
  k.avgInventoryCost = T > 0 ? inventoryCostSum / T : 0;
  k.turnover = k.avgInventoryCost > 0 ? k.cogs / k.avgInventoryCost : 0;
  return { kpis: k, orders, windowWeeks: T };
}

function placeReorder(s: ItemState, h: number, t: number, orders: OrderRecord[], k: ClosedLoopKpis): void {
  const rule = s.item.reorder;
  let qty = 0;
  let lead = 0;
  if (rule.kind === 'order-up-to') {
    if (!isReviewWeek(h, rule.params.reviewWeeks)) return;
    // The adjust stage's review (activities/adjust.activities.ts runs the same function): the
    // curve updated from the h weeks sold, then the (R, S) reorder at review week h.
    qty = reviewLaunchedItem({ prior: s.prior, sales: s.sales, censored: s.censored, onHand: s.onHand, onOrder: s.onOrder, params: rule.params, updateCurve: rule.updateCurve }).decision.qty;
    lead = rule.params.leadTimeWeeks;
  } else if (rule.kind === 'fixed-cover') {
    lead = rule.leadTimeWeeks;
    if (h < 1 || h + lead >= s.season) return;
    if (s.onHand + s.onOrder >= rule.triggerWeeks * rule.weeklyForecast) return;
    qty = roundOrderQuantity(rule.coverWeeks * rule.weeklyForecast, rule.moq, rule.casePack);
  }
  if (qty <= 0) return;
  // Both rules refuse orders arriving after the season; this keeps the invariant for any rule.
  if (h + lead >= s.season) throw new RangeError(`reorder for ${s.item.candidateId} would arrive after its season`);
  if (lead === 0) s.onHand += qty;
  else {
    s.pipeline.set(h + lead, (s.pipeline.get(h + lead) ?? 0) + qty);
    s.onOrder += qty;
  }
  k.purchaseCost += qty * s.item.unitCost;
  k.reorders += 1;
  k.reorderUnits += qty;
  orders.push({ candidateId: s.item.candidateId, kind: 'reorder', week: t, arrivalWeek: t + lead, qty });
}

/**
 * The forecast rescaled by the level `update` learns from the observed weeks of the launched
 * items of `category`, pooled as if they were one launch (forecast weeks and sales side by side).
 */
function resized(forecast: WeeklyCurve, category: string, update: CurveUpdate, states: readonly ItemState[]): WeeklyCurve {
  const mean: number[] = [];
  const sd: number[] = [];
  const observed: number[] = [];
  const censored: boolean[] = [];
  for (const s of states) {
    if (s.item.category !== category) continue;
    s.sales.forEach((y, h) => {
      mean.push(s.item.forecast.mean[h]);
      sd.push(s.item.forecast.sd[h]);
      observed.push(y);
      censored.push(s.censored[h]);
    });
  }
  if (observed.length === 0) return forecast;
  // The pooled curve is all observed, so the update's level is its mean over the prior's.
  const u = update({ mean, sd }, observed, censored);
  const before = mean.reduce((a, b) => a + b, 0);
  const after = u.mean.reduce((a, b) => a + b, 0);
  const level = before > 0 ? after / before : 1;
  if (!(level > 0 && Number.isFinite(level))) return forecast;
  return { mean: forecast.mean.map((m) => m * level), sd: forecast.sd.map((x) => x * level), ...(forecast.weeklyCorrelation !== undefined ? { weeklyCorrelation: forecast.weeklyCorrelation } : {}) };
}
