/**
 * Cannibalisation (a cost, not a limit): in every window of G weeks, each launch of a similarity
 * group beyond the first costs pen_g / G, pen_g the group's mean cannibalisation loss
 * (model.ts), so two launches d weeks apart cost pen_g x (G - d) / G.
 *   MILP:        sum_{w in (t-G, t]} z[g,w] - e[g,t] <= 1, e >= 0 costing pen_g / G; windows
 *                holding a fixed launch need no row (the excess n + fixed - 1 is never
 *                negative): each launch in them costs pen_g / G on z directly
 *   Lagrangian:  one multiplier per group window, 0 <= mu <= pen_g / G (0 for windows holding a
 *                fixed launch, whose cost is charged exactly as a constant price)
 *   Greedy:      no block; the cost a launch adds is netted from its value
 */
import { weekDate } from '../model.js';
import type { Launch, PlannerModel } from '../model.js';
import type { Rule } from './rule.js';

const INF = Infinity;

export const cannibalisationRule: Rule = {
  id: 'cannibalisation',
  scope: 'group',
  active: (m) => m.cannibal !== null,

  formulateGroup(ctx, { g, zIn }) {
    const { m } = ctx;
    const cn = m.cannibal;
    // The feasibility relaxation is about limits only; a cost has no slack to explain.
    if (!cn || !(cn.penalty[g] > 0) || ctx.elastic) return;
    const zWindowCost = new Map<number, number>();
    for (let t = 0; t < m.W + cn.window - 1; t++) {
      const idx = zIn(t - cn.window + 1, t);
      if (idx.length === 0) continue;
      const fixed = ctx.fixedIn((f) => m.groupOf[f.c] === g, t - cn.window + 1, t);
      if (fixed >= 1) {
        // The fixed-only part (fixed - 1) x pen/G is left out of the model (objectiveOffset).
        for (const z of idx) zWindowCost.set(z, (zWindowCost.get(z) ?? 0) + cn.penalty[g] / cn.window);
        continue;
      }
      // With a min gap (z <= 1 per week), a window with one open week never has an excess;
      // without one, two launches in the same week do.
      if (idx.length < 2 && m.minGap >= 1) continue;
      const e = ctx.addCol(`e_${g}_${t}`, -cn.penalty[g] / cn.window, 0, INF, 0);
      ctx.rows.push({ lo: -INF, hi: 1, idx: [...idx, e], val: [...idx.map(() => 1), -1], meta: { family: 'cannibalisation', g, t } });
    }
    for (const [z, cost] of zWindowCost) ctx.colCost[z] -= cost;
  },

  completeSolution(rows, col) {
    for (const r of rows) {
      if (r.meta.family !== 'cannibalisation') continue;
      let act = 0;
      let eIdx = -1;
      r.idx.forEach((k, p) => {
        if (r.val[p] === -1) eIdx = k;
        else act += col[k];
      });
      if (eIdx >= 0) col[eIdx] = Math.max(0, act - r.hi);
    }
  },

  relax({ m, fixed }) {
    const W = m.W;
    const G = m.cannibal?.window ?? 0;
    const upper = m.groups.map(() => new Float64Array(m.cannibal ? W + G - 1 : 0));
    const rhs = m.groups.map(() => new Float64Array(m.cannibal ? W + G - 1 : 0).fill(1));
    const fixedCan = m.groups.map(() => new Float64Array(W));
    if (m.cannibal) {
      for (let g = 0; g < m.groups.length; g++) {
        for (let t = 0; t < W + G - 1; t++) {
          const nFixed = fixed.filter((f) => m.groupOf[f.c] === g && f.w > t - G && f.w <= t).length;
          const per = m.cannibal.penalty[g] / G;
          if (nFixed >= 1) {
            for (let w = Math.max(0, t - G + 1); w <= Math.min(W - 1, t); w++) fixedCan[g][w] += per;
          } else upper[g][t] = per;
        }
      }
    }
    return {
      rhs,
      upper,
      blocks: 'group',
      constantPrices(t) {
        for (let g = 0; g < m.groups.length; g++) for (let w = 0; w < W; w++) t.group[g][w] += fixedCan[g][w];
      },
      price(u, t) {
        if (G <= 0) return;
        for (let g = 0; g < m.groups.length; g++) {
          const a = t.group[g];
          for (let w = 0; w < W; w++) for (let s = w; s < w + G; s++) a[w] += u[g][s];
        }
      },
      use(sg, o) {
        if (!m.cannibal) return;
        const g = m.groupOf[o.c];
        for (let t = o.w; t < o.w + m.cannibal.window; t++) sg[g][t] -= 1;
      },
    };
  },

  track(st) {
    const m = st.m;
    return {
      addedCost(o) {
        const cn = m.cannibal;
        if (!cn) return 0;
        const g = m.groupOf[o.c];
        let extra = 0;
        for (let t = o.w; t < o.w + cn.window; t++) if (st.groupCount(g, t - cn.window + 1, t) >= 1) extra += 1;
        return (extra * cn.penalty[g]) / cn.window;
      },
    };
  },

  movedReason(m, o, best) {
    if (!m.cannibal) return null;
    return { kind: 'cannibalisation', detail: `moved from ${weekDate(m.scenario, best.w)} to keep distance from similar ${m.candidates[o.c].group} launches` };
  },
};

/**
 * Cannibalisation cost of a plan (the objective's term): for each group and each G-week window,
 * every launch beyond the first costs pen/G. Returns the total and each launch's share (a
 * window's cost split evenly over its launches).
 */
export function cannibalisation(m: PlannerModel, launches: Launch[]): { total: number; share: Map<number, number> } {
  const share = new Map<number, number>();
  const cn = m.cannibal;
  if (!cn) return { total: 0, share };
  const byGroup = new Map<number, Launch[]>();
  for (const l of launches) {
    const g = m.groupOf[l.c];
    const list = byGroup.get(g) ?? [];
    list.push(l);
    byGroup.set(g, list);
  }
  let total = 0;
  for (const [g, list] of byGroup) {
    if (list.length < 2) continue;
    const weeks = list.map((l) => l.w);
    const from = Math.min(...weeks);
    const to = Math.max(...weeks) + cn.window - 1;
    for (let t = from; t <= to; t++) {
      const inWin = list.filter((l) => l.w > t - cn.window && l.w <= t);
      if (inWin.length < 2) continue;
      const cost = ((inWin.length - 1) * cn.penalty[g]) / cn.window;
      total += cost;
      for (const l of inWin) share.set(l.c, (share.get(l.c) ?? 0) + cost / inWin.length);
    }
  }
  return { total, share };
}
