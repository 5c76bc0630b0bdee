/**
 * Monthly opening-stock budget: the spend unitCost x qty of the launches whose week starts in a
 * month stays within that month's amount (`rules.monthlyBudget[]`).
 *   MILP:        sum_{w in month} spend[c,w] x[c,w] <= max(0, budget - fixed)   one row per month
 *                (a month the fixed items already overspend takes no new spend: a warning)
 *   Lagrangian:  one multiplier per month (rows scaled by the mean spend of an option), charged
 *                on each launch's spend
 *   Greedy:      blocks a launch whose order no longer fits in its month
 */
import type { PlannerModel } from '../model.js';
import { EPS, fixedItems, fmt, type Rule } from './rule.js';

const INF = Infinity;

/** Opening-stock spend of the fixed items per month. */
function fixedSpend(m: PlannerModel): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of fixedItems(m)) out.set(m.monthOf(f.w), (out.get(m.monthOf(f.w)) ?? 0) + f.spend);
  return out;
}

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export const budgetRule: Rule = {
  id: 'budget',
  active: (m) => m.budget.size > 0,

  formulate(ctx) {
    const { m, xOption } = ctx;
    for (const [month, amount] of m.budget) {
      const idx: number[] = [];
      const val: number[] = [];
      xOption.forEach((o, k) => {
        if (m.monthOf(o.w) === month && o.spend > 0) {
          idx.push(k);
          val.push(o.spend);
        }
      });
      if (idx.length === 0) continue;
      const fixed = ctx.fixed.filter((f) => m.monthOf(f.w) === month).reduce((a, f) => a + f.spend, 0);
      ctx.rows.push({ lo: -INF, hi: Math.max(0, amount - fixed), idx, val, meta: { family: 'budget', month } });
    }
  },

  // One unit of slack should cost about one launch: one option's mean spend.
  slackWeight: (xOption) => 1 / Math.max(1, mean(xOption.map((o) => o.spend))),

  relax({ m, fixed, options }) {
    const W = m.W;
    const scale = options.length === 0 ? 1 : Math.max(1e-9, options.reduce((a, o) => a + o.spend, 0) / options.length);
    const months = [...m.budget.keys()];
    const monthIdx = Int32Array.from({ length: W }, (_, w) => months.indexOf(m.monthOf(w)));
    const rhs = Float64Array.from(months, (mo) => Math.max(0, m.budget.get(mo)! - fixed.filter((f) => m.monthOf(f.w) === mo).reduce((a, f) => a + f.spend, 0)) / scale);
    const omonth = Int32Array.from(options, (o) => monthIdx[o.w]);
    const ospend = Float64Array.from(options, (o) => o.spend / scale);
    return {
      blocks: 'resource',
      rhs: [rhs],
      price() {},
      priceOptions(u, rv) {
        const price = u[0];
        for (let k = 0; k < rv.length; k++) {
          const mi = omonth[k];
          if (mi >= 0) rv[k] -= price[mi] * ospend[k];
        }
      },
      use(sg, o) {
        const mi = monthIdx[o.w];
        if (mi >= 0) sg[0][mi] -= o.spend / scale;
      },
    };
  },

  track(st) {
    const m = st.m;
    const used = new Map<string, number>();
    return {
      apply(o, sign) {
        const month = m.monthOf(o.w);
        used.set(month, (used.get(month) ?? 0) + sign * o.spend);
      },
      block(o) {
        const month = m.monthOf(o.w);
        const cap = m.budget.get(month);
        // A spend-free launch adds nothing, even to a month the fixed items already overspend.
        if (!(cap !== undefined && o.spend > 0 && (used.get(month) ?? 0) + o.spend > cap + EPS)) return null;
        return { rule: 'budget' };
      },
      describe(o) {
        const month = m.monthOf(o.w);
        const cap = m.budget.get(month)!;
        const spent = used.get(month) ?? 0;
        if (spent > cap + EPS) return `the ${month} opening-stock budget of ${fmt(cap)} is already overspent by fixed items (${fmt(spent)}); no new launch placed there`;
        return `the ${month} opening-stock budget of ${fmt(cap)} has ${fmt(Math.max(0, cap - (used.get(month) ?? 0)))} left, the order needs ${fmt(o.spend)}`;
      },
    };
  },

  check(m, launches) {
    const out = [];
    const spend = new Map<string, number>();
    for (const l of launches) spend.set(m.monthOf(l.w), (spend.get(m.monthOf(l.w)) ?? 0) + l.option.spend);
    const fixed = fixedSpend(m);
    for (const [month, cap] of m.budget) {
      const used = spend.get(month) ?? 0;
      if (used > Math.max(cap, fixed.get(month) ?? 0) + EPS) out.push({ rule: 'budget' as const, detail: `${month} opening stock costs ${fmt(used)}, budget ${fmt(cap)}` });
    }
    return out;
  },

  fixedBreaches(m) {
    const fixed = fixedSpend(m);
    const horizon = new Set(Array.from({ length: m.W }, (_, w) => m.monthOf(w)));
    const out: string[] = [];
    for (const [month, cap] of m.budget) {
      const used = fixed.get(month) ?? 0;
      if (horizon.has(month) && used > cap + EPS) out.push(`budget in ${month}: ${fmt(used)} of opening stock already committed by fixed items against a budget of ${fmt(cap)}; no new launch placed there`);
    }
    return out;
  },

  explain(row, _slack, ctx) {
    const { m } = ctx;
    const month = row.meta.month!;
    const items = ctx.all.filter((i) => m.monthOf(i.w) === month);
    const spend = [...ctx.chosen, ...ctx.fixed].filter((o) => m.monthOf(o.w) === month).reduce((a, o) => a + o.spend, 0);
    const d = ctx.describeItems(items);
    return {
      key: `budget:${month}`,
      conflict: {
        rule: 'budget',
        message: `${d.text} need ${fmt(spend)} of opening stock in ${month}${ctx.windowNotes(items)} but the ${month} budget is ${fmt(m.budget.get(month) ?? 0)}`,
        candidateIds: ctx.ids(items),
      },
    };
  },
};

