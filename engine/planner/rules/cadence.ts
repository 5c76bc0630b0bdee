/**
 * Cadence: at most n launches of a category in any k consecutive weeks (`rules.cadence[]`).
 *   MILP:        y[cat,w] = sum_{c in cat} x[c,w] (category-week counts, shared),
 *                sum_{w in [s, s+k-1]} y[cat,w] <= max(0, n - fixed)  one row per window
 *                (a window the fixed items already overfill takes no new launch: a warning)
 *   Lagrangian:  one multiplier per window, charged on each category launch the window holds
 *   Greedy:      blocks a launch that would put n + 1 in some window holding its week
 */
import { weekDate, type PlannerModel } from '../model.js';
import { fixedItems, nLaunches, type Rule } from './rule.js';

const INF = Infinity;

/**
 * Windows touching the horizon in which the fixed items of the rule's category alone exceed its
 * limit, overlapping ones merged: the weeks of the fixed launches they hold and the largest count.
 */
function overfilled(m: PlannerModel, r: PlannerModel['cadence'][number]): { from: number; to: number; count: number }[] {
  const weeks = fixedItems(m)
    .filter((f) => m.catOf[f.c] === r.cat)
    .map((f) => f.w);
  const out: { from: number; to: number; count: number }[] = [];
  let cur: { from: number; to: number; count: number; end: number } | null = null;
  for (let s = -(r.windowWeeks - 1); s < m.W; s++) {
    const inWin = weeks.filter((w) => w >= s && w < s + r.windowWeeks);
    if (inWin.length <= r.maxLaunches) continue;
    const from = Math.min(...inWin);
    const to = Math.max(...inWin);
    if (cur && s <= cur.end) {
      cur.from = Math.min(cur.from, from);
      cur.to = Math.max(cur.to, to);
      cur.count = Math.max(cur.count, inWin.length);
      cur.end = s + r.windowWeeks - 1;
    } else {
      if (cur) out.push({ from: cur.from, to: cur.to, count: cur.count });
      cur = { from, to, count: inWin.length, end: s + r.windowWeeks - 1 };
    }
  }
  if (cur) out.push({ from: cur.from, to: cur.to, count: cur.count });
  return out;
}

export const cadenceRule: Rule = {
  id: 'cadence',
  active: (m) => m.cadence.length > 0,

  formulate(ctx) {
    const { m } = ctx;
    const yCol = ctx.categoryCounts(new Set(m.cadence.map((r) => r.cat)));
    m.cadence.forEach((r, ri) => {
      for (let s = -(r.windowWeeks - 1); s < m.W; s++) {
        const idx: number[] = [];
        for (let w = Math.max(0, s); w < Math.min(m.W, s + r.windowWeeks); w++) {
          const y = yCol.get(`${r.cat}:${w}`);
          if (y !== undefined) idx.push(y);
        }
        if (idx.length === 0) continue;
        const fixed = ctx.fixedIn((f) => m.catOf[f.c] === r.cat, s, s + r.windowWeeks - 1);
        ctx.rows.push({ lo: -INF, hi: Math.max(0, r.maxLaunches - fixed), idx, val: idx.map(() => 1), meta: { family: 'cadence', cat: r.cat, rule: ri, s, e: s + r.windowWeeks - 1 } });
      }
    });
  },

  relax({ m, fixed }) {
    const W = m.W;
    // Window starting at s (possibly before week 0) is entry s + k - 1.
    const rhs = m.cadence.map((r) =>
      Float64Array.from({ length: W + r.windowWeeks - 1 }, (_, i) => {
        const s = i - (r.windowWeeks - 1);
        return Math.max(0, r.maxLaunches - fixed.filter((f) => m.catOf[f.c] === r.cat && f.w >= s && f.w < s + r.windowWeeks).length);
      }),
    );
    return {
      rhs,
      blocks: 'category',
      price(u, t) {
        m.cadence.forEach((r, ri) => {
          const K = r.windowWeeks;
          for (let w = 0; w < W; w++) {
            let p = 0;
            for (let st = w - K + 1; st <= w; st++) p += u[ri][st + K - 1];
            t.cat[r.cat][w] += p;
          }
        });
      },
      use(sg, o) {
        const w = o.w;
        m.cadence.forEach((r, ri) => {
          if (r.cat !== m.catOf[o.c]) return;
          for (let st = w - r.windowWeeks + 1; st <= w; st++) sg[ri][st + r.windowWeeks - 1] -= 1;
        });
      },
    };
  },

  track(st) {
    const m = st.m;
    return {
      block(o) {
        const { c, w } = o;
        for (let ri = 0; ri < m.cadence.length; ri++) {
          const r = m.cadence[ri];
          if (r.cat !== m.catOf[c]) continue;
          for (let s = w - r.windowWeeks + 1; s <= w; s++) {
            const n = st.catCount(r.cat, s, s + r.windowWeeks - 1);
            if (n + 1 > r.maxLaunches) return { rule: 'cadence', index: ri, at: s, count: n };
          }
        }
        return null;
      },
      describe(o, b) {
        const r = m.cadence[b.index!];
        const s = b.at!;
        if (b.count! > r.maxLaunches)
          return `${weekDate(m.scenario, s)}..${weekDate(m.scenario, s + r.windowWeeks - 1)} already has ${nLaunches(b.count!)} of ${m.candidates[o.c].category} fixed, over its cadence of ${r.maxLaunches} in any ${r.windowWeeks} weeks; no new launch placed there`;
        return `the ${m.candidates[o.c].category} cadence allows ${r.maxLaunches} launches in any ${r.windowWeeks} weeks and ${weekDate(m.scenario, s)}..${weekDate(m.scenario, s + r.windowWeeks - 1)} already has ${b.count}`;
      },
    };
  },

  check(m, launches) {
    const out = [];
    const fixed = fixedItems(m);
    for (const r of m.cadence) {
      const weeks = launches.filter((l) => m.catOf[l.c] === r.cat).map((l) => l.w);
      if (weeks.length === 0) continue;
      const fixedWeeks = fixed.filter((f) => m.catOf[f.c] === r.cat).map((f) => f.w);
      for (let a = Math.min(...weeks); a <= Math.max(...weeks); a++) {
        const n = weeks.filter((w) => w >= a && w < a + r.windowWeeks).length;
        const nFixed = fixedWeeks.filter((w) => w >= a && w < a + r.windowWeeks).length;
        if (n > Math.max(r.maxLaunches, nFixed))
          out.push({
            rule: 'cadence' as const,
            detail: `${n} ${m.categories[r.cat]} launches in ${weekDate(m.scenario, a)}..${weekDate(m.scenario, a + r.windowWeeks - 1)}, cadence allows ${r.maxLaunches}`,
          });
      }
    }
    return out;
  },

  fixedBreaches(m) {
    const out: string[] = [];
    for (const r of m.cadence) {
      for (const b of overfilled(m, r)) {
        const cat = m.categories[r.cat];
        const weeks = b.from === b.to ? `week ${weekDate(m.scenario, b.from)}` : `weeks ${weekDate(m.scenario, b.from)}..${weekDate(m.scenario, b.to)}`;
        out.push(`${cat} cadence in ${weeks}: ${nLaunches(b.count)} already fixed against a limit of ${r.maxLaunches} in any ${r.windowWeeks} weeks; no new ${cat} launch placed there`);
      }
    }
    return out;
  },

  explain(row, _slack, ctx) {
    const { m } = ctx;
    const s = m.scenario;
    const meta = row.meta;
    const rule = m.cadence[meta.rule!];
    const cat = m.categories[rule.cat];
    const items = ctx.all.filter((i) => m.catOf[i.c] === rule.cat && i.w >= meta.s! && i.w <= meta.e!);
    const d = ctx.describeItems(items);
    return {
      key: `cadence:${meta.rule}`,
      conflict: {
        rule: 'cadence',
        message: `${d.text} need ${cat} launches in weeks ${weekDate(s, d.from)}..${weekDate(s, d.to)}${ctx.windowNotes(items)} but the ${cat} cadence allows ${rule.maxLaunches} launch${rule.maxLaunches === 1 ? '' : 'es'} in any ${rule.windowWeeks} weeks`,
        candidateIds: ctx.ids(items),
        weeks: { from: weekDate(s, d.from), to: weekDate(s, d.to) },
      },
    };
  },
};
