/**
 * Turns a set of launches into the PlanResult the merchandiser reads: per item the expected
 * units with an interval, the opening quantity, the margin and cost terms, and the main drivers
 * of its week (seasonal peak, promotion, competitor avoidance, budget, cadence, ...); per
 * candidate left out, the reason.
 */
import type { LaunchOption, PlannerModel } from './model.js';
import { weekDate } from './model.js';
import { spendWords } from './rules/budget.js';
import { rules } from './rules/index.js';
import { PlanState, cannibalisation, fixedBreaches, fmt, plural, type Launch, type Violation } from './state.js';
import type { DemandCoverage, Driver, DriverKind, ObjectiveBreakdown, PlanItem, PlanResult } from './types.js';

const RULE_DRIVER: Record<Violation['rule'], DriverKind> = {
  window: 'window',
  'lead-time': 'lead-time',
  'must-launch': 'must-launch',
  'launch-capacity': 'launch-capacity',
  cadence: 'cadence',
  'similar-gap': 'similar-gap',
  budget: 'budget',
  warehouse: 'warehouse',
  promotion: 'promotion',
  fixed: 'fixed',
};

function round(x: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

function stateOf(m: PlannerModel, launches: Launch[]): PlanState {
  const st = new PlanState(m);
  for (const l of launches) st.add(l.option);
  return st;
}

function drivers(m: PlannerModel, st: PlanState, o: LaunchOption): Driver[] {
  const out: Driver[] = [];
  const c = m.candidates[o.c];
  const s = m.scenario;
  if (m.fixed[o.c]) {
    out.push({ kind: 'fixed', detail: `${c.alreadyLaunched ? 'already launched' : 'opening order committed'} for ${weekDate(s, o.w)}` });
    return out;
  }
  const opts = m.options[o.c];
  for (const pid of m.rides[o.c]) {
    const p = (s.rules.promotions ?? []).find((x) => x.id === pid);
    if (p) out.push({ kind: 'promotion', detail: `launches ${plural(p.week - o.w, 'week')} before ${p.name} (${weekDate(s, p.week)}) to ride it` });
  }
  const meanMult = opts.reduce((a, x) => a + x.avgMultiplier, 0) / opts.length;
  const maxMult = Math.max(...opts.map((x) => x.avgMultiplier));
  if (o.avgMultiplier >= 1.05 * meanMult && o.avgMultiplier >= 0.95 * maxMult)
    out.push({ kind: 'seasonal-peak', detail: `demand in its first ${m.H} weeks is ${Math.round((o.avgMultiplier / meanMult - 1) * 100)}% above its average launch week` });
  // Best week ignoring competitors, then best week overall: why was each not chosen?
  let bestGross = opts[0];
  let bestNet = opts[0];
  for (const x of opts) {
    if (x.value + x.clash > bestGross.value + bestGross.clash) bestGross = x;
    if (x.value > bestNet.value) bestNet = x;
  }
  if (bestGross.w !== o.w && bestGross.clash > o.clash + 1e-9 && bestNet.w !== bestGross.w)
    out.push({ kind: 'competitor-avoidance', detail: `avoids ${weekDate(s, bestGross.w)}, where competitor launches are expected (clash cost ${fmt(bestGross.clash)} vs ${fmt(o.clash)})` });
  if (bestNet.w !== o.w) {
    st.remove(o.c);
    const b = st.blocker(bestNet);
    st.add(o);
    if (b) out.push({ kind: RULE_DRIVER[b.rule], detail: `its best week ${weekDate(s, bestNet.w)} is blocked: ${b.detail}` });
    else {
      // No rule blocks the best week: a rule's cost (cannibalisation) or the competition for
      // the scarce resources moved it.
      let moved: Driver | null = null;
      for (const r of rules) if (!moved && r.movedReason) moved = r.movedReason(m, o, bestNet);
      out.push(moved ?? { kind: 'budget', detail: `moved from ${weekDate(s, bestNet.w)} to make room for more valuable launches` });
    }
  }
  // Window notes only matter when the chosen week sits on the bound they set.
  for (const note of m.windowNotes[o.c]) {
    const lead = note.startsWith('lead');
    if (lead ? o.w === opts[0].w : o.w === opts[opts.length - 1].w) out.push({ kind: lead ? 'lead-time' : 'promotion', detail: note });
  }
  if (c.mustLaunch) out.push({ kind: 'must-launch', detail: 'must be launched in this plan' });
  if (o.riskProb >= 0.3) out.push({ kind: 'stockout-risk', detail: `${Math.round(o.riskProb * 100)}% chance of a stock-out within the risk horizon` });
  if (out.length === 0) out.push({ kind: 'seasonal-peak', detail: `its highest-value week (expected net ${fmt(o.value)})` });
  if (o.opening) {
    const spend = o.spendByMonth ? `; spends ${o.spendByMonth.map((e) => `${spendWords(e)} in ${e.month}`).join(' + ')}` : '';
    out.push({ kind: 'replenishment', detail: `opening ${o.opening.qty} units ${o.opening.rationale}; ${o.qty} units expected over ${m.H} weeks with reorders${spend}` });
  }
  // Keep the first occurrence of each kind, most specific first as pushed.
  const seen = new Set<DriverKind>();
  return out.filter((d) => (seen.has(d.kind) ? false : (seen.add(d.kind), true)));
}

/** Why a candidate was left out, as a cause to count (the rule, not the sentence). */
function notLaunchedCause(m: PlannerModel, st: PlanState, c: number): string {
  const opts = m.options[c];
  if (opts.length === 0) return 'no feasible launch week';
  let best = opts[0];
  for (const o of opts) if (o.value > best.value) best = o;
  if (best.value <= 0) return 'not profitable';
  const b = st.blocker(best);
  return b ? `rule: ${b.rule}` : 'lower value per unit of budget';
}

/**
 * Demand planned against the candidates' expected demand (each at its best-value week), with
 * the unplanned part by cause: a plan that leaves most of it out says which rule did.
 */
export function demandCoverage(m: PlannerModel, st: PlanState): DemandCoverage {
  let candidateUnits = 0;
  let plannedUnits = 0;
  const by = new Map<string, { candidates: number; units: number }>();
  m.candidates.forEach((_, c) => {
    const chosen = st.chosen[c];
    const opts = m.options[c];
    let best = opts[0];
    for (const o of opts) if (o.value > best.value) best = o;
    const units = chosen ? chosen.mean : (best?.mean ?? 0);
    candidateUnits += units;
    if (chosen) {
      plannedUnits += units;
      return;
    }
    const cause = notLaunchedCause(m, st, c);
    const e = by.get(cause) ?? by.set(cause, { candidates: 0, units: 0 }).get(cause)!;
    e.candidates++;
    e.units += units;
  });
  const unplannedBy = [...by.entries()].map(([cause, v]) => ({ cause, candidates: v.candidates, units: round(v.units) })).sort((a, b) => b.units - a.units);
  const share = candidateUnits > 0 ? plannedUnits / candidateUnits : 1;
  const top = unplannedBy[0];
  return {
    candidateUnits: round(candidateUnits),
    plannedUnits: round(plannedUnits),
    share: round(share, 4),
    unplannedBy,
    ...(share < 0.5 && top
      ? {
          why:
            `${Math.round((1 - share) * 100)}% of the candidates' expected demand is not planned; ` +
            `${Math.round((100 * top.units) / candidateUnits)}% is held back by ${top.cause} (${top.candidates} candidate${top.candidates === 1 ? '' : 's'})`,
        }
      : {}),
  };
}

function notLaunchedReason(m: PlannerModel, st: PlanState, c: number): string {
  const opts = m.options[c];
  if (opts.length === 0) {
    const notes = m.windowNotes[c];
    return notes.length > 0 ? `no feasible launch week: ${notes.join('; ')}` : 'no feasible launch week in the horizon';
  }
  let best = opts[0];
  for (const o of opts) if (o.value > best.value) best = o;
  if (best.value <= 0) return `not profitable in any week (best expected net value ${fmt(best.value)} in ${weekDate(m.scenario, best.w)})`;
  const b = st.blocker(best);
  if (b) return `best week ${weekDate(m.scenario, best.w)} blocked: ${b.detail}`;
  return `lower value per unit of budget than the launches chosen (best expected net value ${fmt(best.value)})`;
}

export interface ResultMeta {
  method: PlanResult['method'];
  status: PlanResult['status'];
  solver?: PlanResult['solver'];
  fallbackReason?: string;
  conflicts?: PlanResult['conflicts'];
  warnings?: string[];
}

export function objectiveOf(m: PlannerModel, launches: Launch[]): ObjectiveBreakdown {
  const ob = { expectedMargin: 0, holdingCost: 0, stockoutRisk: 0, clashPenalty: 0, cannibalisation: 0, total: 0 };
  for (const l of launches) {
    ob.expectedMargin += l.option.margin;
    ob.holdingCost += l.option.holding;
    ob.stockoutRisk += l.option.riskCost;
    ob.clashPenalty += l.option.clash;
  }
  ob.cannibalisation = cannibalisation(m, launches).total;
  ob.total = ob.expectedMargin - ob.holdingCost - ob.stockoutRisk - ob.clashPenalty - ob.cannibalisation;
  return ob;
}

export function launchesOf(st: PlanState): Launch[] {
  const out: Launch[] = [];
  st.chosen.forEach((o, c) => {
    if (o) out.push({ c, w: o.w, option: o });
  });
  return out;
}

export function buildResult(m: PlannerModel, launches: Launch[], meta: ResultMeta): PlanResult {
  const st = stateOf(m, launches);
  const cann = cannibalisation(m, launches);
  const level = m.intervalLevel;
  const items: PlanItem[] = launches
    .slice()
    .sort((a, b) => a.w - b.w || a.c - b.c)
    .map((l) => {
      const o = l.option;
      const c = m.candidates[l.c];
      const share = cann.share.get(l.c) ?? 0;
      const ds = drivers(m, st, o);
      return {
        candidateId: c.id,
        name: c.name,
        category: c.category,
        group: c.group,
        week: o.w,
        weekStart: weekDate(m.scenario, o.w),
        openingQty: o.opening?.qty ?? o.qty,
        ...(o.opening ? { seasonQty: o.qty } : {}),
        ...(o.spendByMonth ? { spendByMonth: o.spendByMonth.map((e) => ({ month: e.month, opening: round(e.opening), reorders: round(e.reorders) })) } : {}),
        expectedUnits: round(o.expectedUnits),
        unitsInterval: { lo: round(o.unitsLo), hi: round(o.unitsHi), level },
        expectedRevenue: round(o.revenue),
        expectedMargin: round(o.margin),
        holdingCost: round(o.holding),
        stockoutRisk: { probability: round(o.riskProb, 4), cost: round(o.riskCost) },
        clashPenalty: round(o.clash),
        cannibalisation: round(share),
        netValue: round(o.value - share),
        fixed: m.fixed[l.c] !== null,
        rationale: {
          drivers: ds,
          summary: `Launch ${c.name} on ${weekDate(m.scenario, o.w)} with ${o.opening?.qty ?? o.qty} units: ${ds[0].detail}.`,
        },
      };
    });
  const notLaunched: PlanResult['notLaunched'] = [];
  m.candidates.forEach((c, i) => {
    if (!st.chosen[i]) notLaunched.push({ candidateId: c.id, reason: notLaunchedReason(m, st, i) });
  });
  const ob = objectiveOf(m, launches);
  const objective: ObjectiveBreakdown = {
    expectedMargin: round(ob.expectedMargin),
    holdingCost: round(ob.holdingCost),
    stockoutRisk: round(ob.stockoutRisk),
    clashPenalty: round(ob.clashPenalty),
    cannibalisation: round(ob.cannibalisation),
    total: round(ob.total),
  };
  return {
    ...(m.scenario.id !== undefined ? { scenarioId: m.scenario.id } : {}),
    method: meta.method,
    status: meta.status,
    objective,
    items,
    notLaunched,
    conflicts: meta.conflicts ?? [],
    ...(meta.solver ? { solver: meta.solver } : {}),
    ...(meta.fallbackReason ? { fallbackReason: meta.fallbackReason } : {}),
    // Rows the fixed items already break come first: they explain the weeks left empty.
    warnings: [...new Set([...fixedBreaches(m), ...(meta.warnings ?? [])])],
    demand: demandCoverage(m, st),
    ...(m.scenario.notes?.length ? { notes: m.scenario.notes } : {}),
  };
}
