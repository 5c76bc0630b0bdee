/**
 * The plan page's KPI panel, computed from a stored plan: its expected margin (the planner's
 * objective breakdown), the spend per calendar month against the scope's monthly budget as the
 * budget rule counts it (a launch's opening in the month its week starts, its planned reorders,
 * with replenishment, in the months they are ordered), and the launches per
 * week against the launch capacity. Pure: the route loads the plan, the unit costs and the rules.
 */
export interface KpiInput {
  items: Array<{ candidateId: string; category: string | null; launchWeek: string; openingQty: number; expectedMargin: number; fixed: boolean }>;
  unitCost: Map<string, number>;
  objective: Partial<Record<'expectedMargin' | 'holdingCost' | 'stockoutRisk' | 'clashPenalty' | 'cannibalisation' | 'total', number>> | undefined;
  rules: { monthlyBudget?: number; maxLaunchesPerWeek: number };
  /** The plan's planned reorder spend per month (its summary's `plannedReorderSpend`), if any. */
  plannedReorderSpend?: ReadonlyArray<{ month: string; spend: number }>;
}

export interface PlanKpis {
  launches: number;
  openingUnits: number;
  openingSpend: number;
  /** The planner's objective: expected margin before costs, the costs, and the net total. */
  objective: KpiInput['objective'] | null;
  /** Sum of the items' expected net margin (equals objective.total for a plan of new launches). */
  itemsNetMargin: number;
  /** `spend` is what the budget rule charges the month: openings plus `reorders` (planned reorders). */
  spendByMonth: Array<{ month: string; spend: number; reorders: number; budget: number | null; launches: number }>;
  loadByWeek: Array<{ week: string; launches: number; capacity: number; byCategory: Record<string, number> }>;
  /** Items whose unit cost is unknown (a candidate removed since): their spend counts as 0. */
  missingCosts: string[];
}

export function planKpis(input: KpiInput): PlanKpis {
  const months = new Map<string, { spend: number; reorders: number; launches: number }>();
  const weeks = new Map<string, { launches: number; byCategory: Record<string, number> }>();
  const missingCosts: string[] = [];
  let openingSpend = 0;
  let openingUnits = 0;
  let itemsNetMargin = 0;
  for (const item of input.items) {
    const cost = input.unitCost.get(item.candidateId);
    if (cost === undefined) missingCosts.push(item.candidateId);
    const spend = (cost ?? 0) * item.openingQty;
    openingSpend += spend;
    openingUnits += item.openingQty;
    itemsNetMargin += item.expectedMargin;
    const month = item.launchWeek.slice(0, 7);
    const m = months.get(month) ?? { spend: 0, reorders: 0, launches: 0 };
    m.spend += spend;
    m.launches += 1;
    months.set(month, m);
    const w = weeks.get(item.launchWeek) ?? { launches: 0, byCategory: {} };
    w.launches += 1;
    const category = item.category ?? 'unknown';
    w.byCategory[category] = (w.byCategory[category] ?? 0) + 1;
    weeks.set(item.launchWeek, w);
  }
  for (const r of input.plannedReorderSpend ?? []) {
    const m = months.get(r.month) ?? { spend: 0, reorders: 0, launches: 0 };
    m.spend += r.spend;
    m.reorders += r.spend;
    months.set(r.month, m);
  }
  const byKey = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    launches: input.items.length,
    openingUnits,
    openingSpend: round2(openingSpend),
    objective: input.objective ?? null,
    itemsNetMargin: round2(itemsNetMargin),
    spendByMonth: byKey(months).map(([month, m]) => ({ month, spend: round2(m.spend), reorders: round2(m.reorders), budget: input.rules.monthlyBudget ?? null, launches: m.launches })),
    loadByWeek: byKey(weeks).map(([week, w]) => ({ week, launches: w.launches, capacity: input.rules.maxLaunchesPerWeek, byCategory: w.byCategory })),
    missingCosts,
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
