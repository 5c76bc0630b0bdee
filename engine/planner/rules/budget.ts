/**
 * Monthly budget: the spend unitCost x qty of the launches whose week starts in a month stays
 * within that month's amount (`rules.monthlyBudget[]`). With `demand.replenishment` an option's
 * spend is split by month (`LaunchOption.spendByMonth`): its opening order in the launch month,
 * its planned reorders in the months they are ordered, and each month's row counts its share.
 * Months without an amount (also those past the planning horizon that reorders reach) are not
 * constrained.
 *   MILP:        sum_{c,w} spend[c,w,month] x[c,w] <= max(0, budget - fixed)   one row per month
 *                (a month the fixed items already overspend takes no new spend: a warning)
 *   Lagrangian:  one multiplier per month (rows scaled by the mean spend of an option), charged
 *                on each launch's spend in that month
 *   Greedy:      blocks a launch whose spend no longer fits in one of its months
 */
import { chargesMonth, type LaunchOption, type PlannerModel } from '../model.js';
import { EPS, fixedItems, fmt, type Rule } from './rule.js';

const INF = Infinity;

/** Adds the option's spend per month into `into` (times `sign`). */
function addSpend(m: PlannerModel, into: Map<string, number>, o: LaunchOption, sign: number): void {
  if (!o.spendByMonth) {
    const month = m.monthOf(o.w);
    into.set(month, (into.get(month) ?? 0) + sign * o.spend);
    return;
  }
  for (const e of o.spendByMonth) into.set(e.month, (into.get(e.month) ?? 0) + sign * (e.opening + e.reorders));
}

/** The options' spend per month, in one pass (each month's sum in the options' order). */
function monthlySpend(m: PlannerModel, options: readonly LaunchOption[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of options) addSpend(m, out, o, 1);
  return out;
}

/** Spend of the fixed items per month. */
function fixedSpend(m: PlannerModel): Map<string, number> {
  return monthlySpend(m, fixedItems(m));
}

/** One month's spend of an option in words: "1,200 (opening)", "800 (planned reorders)", or both. */
export function spendWords(e: { opening: number; reorders: number }): string {
  if (e.reorders <= 0) return `${fmt(e.opening)} (opening)`;
  if (e.opening <= 0) return `${fmt(e.reorders)} (planned reorders)`;
  return `${fmt(e.opening + e.reorders)} (opening ${fmt(e.opening)} + planned reorders ${fmt(e.reorders)})`;
}

/** Whether options may carry planned reorders (their messages then say so). */
function replenishing(m: PlannerModel): boolean {
  return m.scenario.demand.replenishment !== undefined;
}

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export const budgetRule: Rule = {
  id: 'budget',
  active: (m) => m.budget.size > 0,

  formulate(ctx) {
    const { m, xOption } = ctx;
    // One pass over the options (not one per month): each budget month's terms, in option order.
    const terms = new Map<string, { idx: number[]; val: number[] }>([...m.budget.keys()].map((month) => [month, { idx: [], val: [] }]));
    const add = (k: number, month: string, spend: number) => {
      const t = terms.get(month);
      if (t && spend > 0) {
        t.idx.push(k);
        t.val.push(spend);
      }
    };
    xOption.forEach((o, k) => {
      if (!o.spendByMonth) add(k, m.monthOf(o.w), o.spend);
      else for (const e of o.spendByMonth) add(k, e.month, e.opening + e.reorders);
    });
    const fixed = monthlySpend(m, ctx.fixed);
    for (const [month, amount] of m.budget) {
      const { idx, val } = terms.get(month)!;
      if (idx.length === 0) continue;
      ctx.rows.push({ lo: -INF, hi: Math.max(0, amount - (fixed.get(month) ?? 0)), idx, val, meta: { family: 'budget', month } });
    }
  },

  // One unit of slack should cost about one launch: one option's mean spend.
  slackWeight: (xOption) => 1 / Math.max(1, mean(xOption.map((o) => o.spend))),

  relax({ m, fixed, options }) {
    const W = m.W;
    const scale = options.length === 0 ? 1 : Math.max(1e-9, options.reduce((a, o) => a + o.spend, 0) / options.length);
    const months = [...m.budget.keys()];
    const monthIdx = Int32Array.from({ length: W }, (_, w) => months.indexOf(m.monthOf(w)));
    const fixedByMonth = monthlySpend(m, fixed);
    const rhs = Float64Array.from(months, (mo) => Math.max(0, m.budget.get(mo)! - (fixedByMonth.get(mo) ?? 0)) / scale);
    // Options charged to one month keep the flat arrays (the hot path); options whose spend is
    // split by month (planned reorders) get their budget months and scaled amounts apart.
    const omonth = Int32Array.from(options, (o) => (o.spendByMonth ? -1 : monthIdx[o.w]));
    const ospend = Float64Array.from(options, (o) => o.spend / scale);
    const split: { k: number; mi: Int32Array; amount: Float64Array }[] = [];
    const splitAt = new Map<number, (typeof split)[number]>();
    options.forEach((o, k) => {
      if (!o.spendByMonth) return;
      const parts = o.spendByMonth.filter((e) => m.budget.has(e.month));
      const sp = { k, mi: Int32Array.from(parts, (e) => months.indexOf(e.month)), amount: Float64Array.from(parts, (e) => (e.opening + e.reorders) / scale) };
      split.push(sp);
      splitAt.set(k, sp);
    });
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
        for (const sp of split) for (let i = 0; i < sp.mi.length; i++) rv[sp.k] -= price[sp.mi[i]] * sp.amount[i];
      },
      use(sg, o, k) {
        if (o.spendByMonth) {
          const sp = splitAt.get(k)!;
          for (let i = 0; i < sp.mi.length; i++) sg[0][sp.mi[i]] -= sp.amount[i];
          return;
        }
        const mi = monthIdx[o.w];
        if (mi >= 0) sg[0][mi] -= o.spend / scale;
      },
    };
  },

  track(st) {
    const m = st.m;
    const used = new Map<string, number>();
    // The first budget month a split option's spend no longer fits in (a month it adds nothing
    // to never blocks it).
    const overrun = (o: LaunchOption) =>
      o.spendByMonth!.find((e) => {
        const cap = m.budget.get(e.month);
        const add = e.opening + e.reorders;
        return cap !== undefined && add > 0 && (used.get(e.month) ?? 0) + add > cap + EPS;
      });
    return {
      apply(o, sign) {
        if (o.spendByMonth) {
          addSpend(m, used, o, sign);
          return;
        }
        const month = m.monthOf(o.w);
        used.set(month, (used.get(month) ?? 0) + sign * o.spend);
      },
      block(o) {
        if (o.spendByMonth) return overrun(o) ? { rule: 'budget' } : null;
        const month = m.monthOf(o.w);
        const cap = m.budget.get(month);
        // A spend-free launch adds nothing, even to a month the fixed items already overspend.
        if (!(cap !== undefined && o.spend > 0 && (used.get(month) ?? 0) + o.spend > cap + EPS)) return null;
        return { rule: 'budget' };
      },
      describe(o) {
        if (o.spendByMonth) {
          const e = overrun(o)!;
          const cap = m.budget.get(e.month)!;
          const spent = used.get(e.month) ?? 0;
          if (spent > cap + EPS) return `the ${e.month} budget of ${fmt(cap)} is already overspent by fixed items (${fmt(spent)}); no new spend placed there`;
          return `the ${e.month} budget of ${fmt(cap)} has ${fmt(Math.max(0, cap - spent))} left, the launch needs ${spendWords(e)} there`;
        }
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
    const spend = monthlySpend(m, launches.map((l) => l.option));
    const fixed = fixedSpend(m);
    for (const [month, cap] of m.budget) {
      const used = spend.get(month) ?? 0;
      if (used > Math.max(cap, fixed.get(month) ?? 0) + EPS) out.push({ rule: 'budget' as const, detail: `${month} opening stock${replenishing(m) ? ' and planned reorders cost' : ' costs'} ${fmt(used)}, budget ${fmt(cap)}` });
    }
    return out;
  },

  fixedBreaches(m) {
    const fixed = fixedSpend(m);
    const horizon = new Set(Array.from({ length: m.W }, (_, w) => m.monthOf(w)));
    const out: string[] = [];
    for (const [month, cap] of m.budget) {
      const used = fixed.get(month) ?? 0;
      if (horizon.has(month) && used > cap + EPS) out.push(`budget in ${month}: ${fmt(used)} of ${replenishing(m) ? 'stock' : 'opening stock'} already committed by fixed items against a budget of ${fmt(cap)}; no new launch placed there`);
    }
    return out;
  },

  explain(row, _slack, ctx) {
    const { m } = ctx;
    const month = row.meta.month!;
    // ctx.all lists the chosen options, then the fixed ones, in that order.
    const opts = [...ctx.chosen, ...ctx.fixed];
    const items = ctx.all.filter((_, i) => chargesMonth(m, opts[i], month));
    const spend = monthlySpend(m, opts).get(month) ?? 0;
    const d = ctx.describeItems(items);
    return {
      key: `budget:${month}`,
      conflict: {
        rule: 'budget',
        message: `${d.text} need ${fmt(spend)} of ${replenishing(m) ? 'opening stock and planned reorders' : 'opening stock'} in ${month}${ctx.windowNotes(items)} but the ${month} budget is ${fmt(m.budget.get(month) ?? 0)}`,
        candidateIds: ctx.ids(items),
      },
    };
  },
};

