/**
 * Similar-item gap: launches of one similarity group at least `minGapSimilarWeeks` apart.
 *   MILP:        z[g,w] = sum_{c in g} x[c,w] (group-week counts, shared with cannibalisation),
 *                sum_{w in [s, s+gap-1]} z[g,w] <= max(0, 1 - fixed)  one row per group window
 *                (fixed items already too close take no new launch near them: a warning)
 *   Lagrangian:  one multiplier per group window, charged on each group launch it holds
 *   Greedy:      blocks a launch within gap - 1 weeks of a launch of its group
 */
import { weekDate } from '../model.js';
import { fixedItems, plural, type Rule } from './rule.js';

const INF = Infinity;

export const similarGapRule: Rule = {
  id: 'similar-gap',
  scope: 'group',
  active: (m) => m.minGap >= 1,

  formulateGroup(ctx, { g, zIn }) {
    const { m } = ctx;
    if (m.minGap < 1) return;
    for (let s = -(m.minGap - 1); s < m.W; s++) {
      const idx = zIn(s, s + m.minGap - 1);
      if (idx.length === 0) continue;
      const fixed = ctx.fixedIn((f) => m.groupOf[f.c] === g, s, s + m.minGap - 1);
      ctx.rows.push({ lo: -INF, hi: Math.max(0, 1 - fixed), idx, val: idx.map(() => 1), meta: { family: 'similar-gap', g, s, e: s + m.minGap - 1 } });
    }
  },

  relax({ m, fixed }) {
    const W = m.W;
    const gapW = Math.max(0, m.minGap);
    const rhs = m.groups.map((_, g) =>
      Float64Array.from({ length: gapW >= 1 ? W + gapW - 1 : 0 }, (_, i) => {
        const s = i - (gapW - 1);
        return Math.max(0, 1 - fixed.filter((f) => m.groupOf[f.c] === g && f.w >= s && f.w < s + gapW).length);
      }),
    );
    return {
      rhs,
      blocks: 'group',
      price(u, t) {
        if (m.minGap < 1) return;
        for (let g = 0; g < m.groups.length; g++) {
          const a = t.group[g];
          for (let w = 0; w < W; w++) for (let st = w - m.minGap + 1; st <= w; st++) a[w] += u[g][st + m.minGap - 1];
        }
      },
      use(sg, o) {
        if (m.minGap < 1) return;
        const g = m.groupOf[o.c];
        for (let st = o.w - m.minGap + 1; st <= o.w; st++) sg[g][st + m.minGap - 1] -= 1;
      },
    };
  },

  track(st) {
    const m = st.m;
    return {
      block(o) {
        if (!(m.minGap >= 1 && st.groupCount(m.groupOf[o.c], o.w - m.minGap + 1, o.w + m.minGap - 1) > 0)) return null;
        return { rule: 'similar-gap' };
      },
      describe: (o) => `a similar ${m.candidates[o.c].group} item launches within ${plural(m.minGap - 1, 'week')} of ${weekDate(m.scenario, o.w)}`,
    };
  },

  check(m, launches) {
    const out = [];
    if (m.minGap >= 1) {
      for (let i = 0; i < launches.length; i++)
        for (let j = i + 1; j < launches.length; j++) {
          const a = launches[i];
          const b = launches[j];
          // Two fixed items too close are the fixed plan's breach (fixedBreaches), not the plan's.
          if (m.fixed[a.c] && m.fixed[b.c]) continue;
          if (m.groupOf[a.c] === m.groupOf[b.c] && Math.abs(a.w - b.w) < m.minGap)
            out.push({
              rule: 'similar-gap' as const,
              detail: `${m.candidates[a.c].name} and ${m.candidates[b.c].name} launch ${Math.abs(a.w - b.w)} weeks apart, minimum ${m.minGap}`,
            });
        }
    }
    return out;
  },

  fixedBreaches(m) {
    const out: string[] = [];
    if (m.minGap < 1) return out;
    const fixed = fixedItems(m).sort((a, b) => a.w - b.w || a.c - b.c);
    for (let i = 0; i < fixed.length; i++)
      for (let j = i + 1; j < fixed.length; j++) {
        const a = fixed[i];
        const b = fixed[j];
        // Only pairs whose shared window reaches week 0 or later constrain this plan.
        if (m.groupOf[a.c] !== m.groupOf[b.c] || b.w - a.w >= m.minGap || a.w + m.minGap - 1 < 0 || a.w >= m.W) continue;
        out.push(
          `similar gap in weeks ${weekDate(m.scenario, a.w)}..${weekDate(m.scenario, b.w)}: ${m.candidates[a.c].name} and ${m.candidates[b.c].name} of the similar group "${m.groups[m.groupOf[a.c]]}" are already fixed ${plural(b.w - a.w, 'week')} apart against a minimum of ${m.minGap}; no new launch of the group placed there`,
        );
      }
    return out;
  },

  explain(row, _slack, ctx) {
    const { m } = ctx;
    const s = m.scenario;
    const meta = row.meta;
    const g = meta.g!;
    const items = ctx.all.filter((i) => m.groupOf[i.c] === g && i.w >= meta.s! && i.w <= meta.e!);
    const d = ctx.describeItems(items);
    return {
      key: `gap:${g}`,
      conflict: {
        rule: 'similar-gap',
        message: `${d.text} of the similar group "${m.groups[g]}" can only launch in weeks ${weekDate(s, d.from)}..${weekDate(s, d.to)}${ctx.windowNotes(items)} but similar items must launch at least ${m.minGap} weeks apart`,
        candidateIds: ctx.ids(items),
        weeks: { from: weekDate(s, d.from), to: weekDate(s, d.to) },
      },
    };
  },
};
