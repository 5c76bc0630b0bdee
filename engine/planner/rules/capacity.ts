/**
 * Launch capacity: at most `maxLaunchesPerWeek` launches in a week (a number, or one per week).
 *   MILP:        sum_c x[c,w] <= max(0, cap_w - fixed_w)              one row per week
 *                (a week the fixed items already overfill takes no new launch: a warning, not
 *                an infeasible plan)
 *   Lagrangian:  one multiplier per week, charged on every launch of that week
 *   Greedy:      blocks a launch into a full week
 */
import { weekDate, type PlannerModel } from '../model.js';
import { EPS, fixedItems, nLaunches, type Rule } from './rule.js';

const INF = Infinity;

/** Fixed launches per planning week. */
function fixedPerWeek(m: PlannerModel): Int32Array {
  const n = new Int32Array(m.W);
  for (const f of fixedItems(m)) if (f.w >= 0 && f.w < m.W) n[f.w] += 1;
  return n;
}

export const capacityRule: Rule = {
  id: 'launch-capacity',
  active: (m) => m.capPerWeek.some((x) => Number.isFinite(x)),

  formulate(ctx) {
    const { m, byWeek, fixed: fixedList } = ctx;
    for (let w = 0; w < m.W; w++) {
      if (!Number.isFinite(m.capPerWeek[w]) || byWeek[w].length === 0) continue;
      const fixed = fixedList.filter((f) => f.w === w).length;
      ctx.rows.push({ lo: -INF, hi: Math.max(0, m.capPerWeek[w] - fixed), idx: byWeek[w], val: byWeek[w].map(() => 1), meta: { family: 'launch-capacity', w } });
    }
  },

  relax({ m, fixed }) {
    const W = m.W;
    const cap = new Float64Array(W);
    for (let w = 0; w < W; w++) cap[w] = Number.isFinite(m.capPerWeek[w]) ? Math.max(0, m.capPerWeek[w] - fixed.filter((f) => f.w === w).length) : Infinity;
    // Weeks without a limit have no row: their multiplier never moves, and is never charged.
    const on = cap.map((x) => (Number.isFinite(x) ? 1 : 0));
    return {
      blocks: 'resource',
      rhs: [cap],
      price(u, t) {
        for (let w = 0; w < W; w++) t.week[w] += on[w] * u[0][w];
      },
      use(sg, o) {
        sg[0][o.w] -= 1;
      },
    };
  },

  track(st) {
    const m = st.m;
    return {
      block(o) {
        const w = o.w;
        if (!(w >= 0 && w < m.W && st.perWeek[w] + 1 > m.capPerWeek[w] + EPS)) return null;
        return { rule: 'launch-capacity' };
      },
      describe: (o) =>
        st.perWeek[o.w] > m.capPerWeek[o.w]
          ? `week ${weekDate(m.scenario, o.w)} already has ${st.perWeek[o.w]} fixed launches, over its capacity of ${m.capPerWeek[o.w]}; no new launch placed there`
          : `week ${weekDate(m.scenario, o.w)} already has ${st.perWeek[o.w]} launches (capacity ${m.capPerWeek[o.w]})`,
    };
  },

  check(m, launches) {
    const out = [];
    const fixed = fixedPerWeek(m);
    for (let w = 0; w < m.W; w++) {
      const n = launches.filter((l) => l.w === w).length;
      if (n > Math.max(m.capPerWeek[w], fixed[w])) out.push({ rule: 'launch-capacity' as const, detail: `${n} launches in ${weekDate(m.scenario, w)}, capacity ${m.capPerWeek[w]}` });
    }
    return out;
  },

  fixedBreaches(m) {
    const fixed = fixedPerWeek(m);
    const out: string[] = [];
    for (let w = 0; w < m.W; w++)
      if (fixed[w] > m.capPerWeek[w])
        out.push(`launch capacity in week ${weekDate(m.scenario, w)}: ${nLaunches(fixed[w])} already fixed against a limit of ${m.capPerWeek[w]}; no new launch placed there`);
    return out;
  },

  explain(row, _slack, ctx) {
    const { m } = ctx;
    const s = m.scenario;
    const w = row.meta.w!;
    const items = ctx.all.filter((i) => i.w === w);
    const d = ctx.describeItems(items);
    return {
      key: `cap:${w}`,
      conflict: {
        rule: 'launch-capacity',
        message: `${d.text} need to launch in week ${weekDate(s, w)}${ctx.windowNotes(items)} but only ${m.capPerWeek[w]} launches fit in a week`,
        candidateIds: ctx.ids(items),
        weeks: { from: weekDate(s, w), to: weekDate(s, w) },
      },
    };
  },
};
