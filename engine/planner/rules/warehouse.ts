/**
 * Warehouse capacity: units on hand (deterministic expected depletion, model.ts `onHand`) plus
 * the baseline stay within the capacity in every week.
 *   MILP:        sum_{w <= t < w+H} onHand[c,w,t-w] x[c,w] <= max(0, cap_t - base_t - fixed)   per week
 *                (a week existing stock and fixed items already overfill takes no new stock: a warning);
 *                the rows are dense (one coefficient per option and week on hand), so large
 *                models start without them and add the weeks a plan overflows (lazy rows)
 *   Lagrangian:  one multiplier per week (rows scaled by the mean opening quantity), charged on
 *                the units each launch keeps on hand that week
 *   Greedy:      blocks a launch whose stock would overflow some week
 */
import { weekDate } from '../model.js';
import type { Launch, LaunchOption, PlannerModel } from '../model.js';
import { EPS, fixedItems, fmt, type Rule } from './rule.js';

const INF = Infinity;

/** Below this many warehouse coefficients all warehouse rows go in up front. */
const EAGER_WAREHOUSE_NNZ = 400_000;

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Units on hand per week from the baseline and the fixed items alone. */
function fixedLoad(m: PlannerModel): Float64Array {
  const load = Float64Array.from(m.baseline.slice(0, m.W));
  for (const f of fixedItems(m))
    for (let h = 0; h < m.H; h++) {
      const t = f.w + h;
      if (t >= 0 && t < m.W) load[t] += f.onHand[h];
    }
  return load;
}

/**
 * Weeks whose on-hand load (baseline, fixed items and the plan) exceeds the capacity, or the
 * fixed load where that alone is above it (new launches may add nothing there).
 */
function overflowing(m: PlannerModel, launches: Launch[]): number[] {
  const out: number[] = [];
  if (!m.warehouseCap) return out;
  const fixed = fixedLoad(m);
  for (let t = 0; t < m.W; t++) {
    let load = m.baseline[t];
    for (const l of launches) {
      const h = t - l.w;
      if (h >= 0 && h < m.H) load += l.option.onHand[h];
    }
    if (load > Math.max(m.warehouseCap[t], fixed[t]) + EPS) out.push(t);
  }
  return out;
}

export const warehouseRule: Rule = {
  id: 'warehouse',
  active: (m) => m.warehouseCap !== null,

  formulate(ctx) {
    const { m, xOption, subset } = ctx;
    if (!m.warehouseCap) return;
    for (let t = 0; t < m.W; t++) {
      if (subset !== 'all' && !subset.has(t)) continue;
      const idx: number[] = [];
      const val: number[] = [];
      xOption.forEach((o, k) => {
        const h = t - o.w;
        if (h >= 0 && h < m.H && o.onHand[h] > 0) {
          idx.push(k);
          val.push(o.onHand[h]);
        }
      });
      if (idx.length === 0) continue;
      let fixed = m.baseline[t];
      for (const f of ctx.fixed) {
        const h = t - f.w;
        if (h >= 0 && h < m.H) fixed += f.onHand[h];
      }
      ctx.rows.push({ lo: -INF, hi: Math.max(0, m.warehouseCap[t] - fixed), idx, val, meta: { family: 'warehouse', t } });
    }
  },

  // One unit of slack should cost about one launch: one option's mean opening quantity.
  slackWeight: (xOption) => 1 / Math.max(1, mean(xOption.map((o) => o.onHand[0] ?? 0))),

  lazy: {
    initial(m: PlannerModel, columns: LaunchOption[][]) {
      if (!m.warehouseCap) return 'all';
      let nnz = 0;
      for (const list of columns) nnz += list.length * m.H;
      return nnz <= EAGER_WAREHOUSE_NNZ ? 'all' : new Set<number>();
    },
    separate(m, launches, current) {
      if (current === 'all') return null;
      const weeks = overflowing(m, launches);
      if (weeks.length === 0) return null;
      const next = new Set(current);
      for (const t of weeks) next.add(t);
      return next;
    },
  },

  relax({ m, fixed, options }) {
    const W = m.W;
    const H = m.H;
    const scale = options.length === 0 ? 1 : Math.max(1e-9, options.reduce((a, o) => a + (o.onHand[0] ?? 0), 0) / options.length);
    const rhs = new Float64Array(W).fill(Infinity);
    if (m.warehouseCap) {
      for (let t = 0; t < W; t++) {
        let load = m.baseline[t];
        for (const f of fixed) if (t - f.w >= 0 && t - f.w < H) load += f.onHand[t - f.w];
        rhs[t] = Math.max(0, m.warehouseCap[t] - load) / scale;
      }
    }
    const ow = Int32Array.from(options, (o) => o.w);
    // onHand[h] of option k at k * H + h (0 past the horizon), scaled like the rows.
    const raw = new Float64Array(options.length * H);
    options.forEach((o, k) => {
      for (let h = 0; h < H && o.w + h < W; h++) raw[k * H + h] = o.onHand[h];
    });
    const ohand = raw.map((x) => x / scale);
    const on = m.warehouseCap !== null;
    return {
      blocks: 'resource',
      rhs: [rhs],
      price() {},
      priceOptions(u, rv) {
        if (!on) return;
        const wh = u[0];
        for (let k = 0; k < rv.length; k++) {
          const w = ow[k];
          const end = Math.min(H, W - w);
          let v = rv[k];
          for (let h = 0, b = k * H; h < end; h++) v -= wh[w + h] * ohand[b + h];
          rv[k] = v;
        }
      },
      use(sg, o) {
        if (!on) return;
        for (let h = 0; h < H && o.w + h < W; h++) sg[0][o.w + h] -= o.onHand[h] / scale;
      },
    };
  },

  track(st) {
    const m = st.m;
    const load = new Float64Array(m.W);
    return {
      apply(o, sign) {
        for (let h = 0; h < m.H; h++) {
          const t = o.w + h;
          if (t >= 0 && t < m.W) load[t] += sign * o.onHand[h];
        }
      },
      block(o) {
        const cap = m.warehouseCap;
        if (!cap) return null;
        for (let h = 0; h < m.H; h++) {
          const t = o.w + h;
          if (t < 0) continue;
          if (t >= m.W) break;
          // Stock-free weeks add nothing, even to a week the fixed items already overfill.
          if (o.onHand[h] > 0 && load[t] + m.baseline[t] + o.onHand[h] > cap[t] + EPS) return { rule: 'warehouse', at: t };
        }
        return null;
      },
      describe: (_o, b) =>
        load[b.at!] + m.baseline[b.at!] > m.warehouseCap![b.at!] + EPS
          ? `existing stock and fixed items already fill ${fmt(load[b.at!] + m.baseline[b.at!])} units of the warehouse capacity of ${fmt(m.warehouseCap![b.at!])} in ${weekDate(m.scenario, b.at!)}; no new stock placed there`
          : `warehouse capacity of ${fmt(m.warehouseCap![b.at!])} units would be exceeded in ${weekDate(m.scenario, b.at!)}`,
    };
  },

  check(m, launches) {
    const out = [];
    if (m.warehouseCap) {
      const fixed = fixedLoad(m);
      for (let t = 0; t < m.W; t++) {
        let load = m.baseline[t];
        for (const l of launches) {
          const h = t - l.w;
          if (h >= 0 && h < m.H) load += l.option.onHand[h];
        }
        if (load > Math.max(m.warehouseCap[t], fixed[t]) + EPS)
          out.push({ rule: 'warehouse' as const, detail: `${fmt(load)} units on hand in ${weekDate(m.scenario, t)}, capacity ${fmt(m.warehouseCap[t])}` });
      }
    }
    return out;
  },

  fixedBreaches(m) {
    const cap = m.warehouseCap;
    if (!cap) return [];
    const fixed = fixedLoad(m);
    const out: string[] = [];
    // Consecutive overfull weeks are one warning (stock drains over weeks, so they come in runs).
    for (let t = 0; t < m.W; t++) {
      if (!(fixed[t] > cap[t] + EPS)) continue;
      let e = t;
      let peak = t;
      while (e + 1 < m.W && fixed[e + 1] > cap[e + 1] + EPS) {
        e += 1;
        if (fixed[e] - cap[e] > fixed[peak] - cap[peak]) peak = e;
      }
      const weeks = e === t ? `week ${weekDate(m.scenario, t)}` : `weeks ${weekDate(m.scenario, t)}..${weekDate(m.scenario, e)}`;
      out.push(`warehouse in ${weeks}: ${fmt(fixed[peak])} units already on hand from existing stock and fixed items against a capacity of ${fmt(cap[peak])}; no new launch adds stock there`);
      t = e;
    }
    return out;
  },

  explain(row, slack, ctx) {
    const { m } = ctx;
    const t = row.meta.t!;
    const items = ctx.all.filter((i) => t - i.w >= 0 && t - i.w < m.H);
    const d = ctx.describeItems(items);
    return {
      key: `warehouse:${t}`,
      conflict: {
        rule: 'warehouse',
        message: `${d.text} need about ${fmt(row.hi + slack)} units of warehouse space in week ${weekDate(m.scenario, t)} (with existing stock) but the capacity is ${fmt(m.warehouseCap![t])}`,
        candidateIds: ctx.ids(items),
        weeks: { from: weekDate(m.scenario, t), to: weekDate(m.scenario, t) },
      },
    };
  },
};
