/**
 * Why a scenario has no feasible plan, in merchandiser words. We solve the feasibility
 * relaxation of the MILP: every rule row gets a penalised slack (formulation.ts, elastic) and
 * the solver minimises the total slack. The rows whose slack is positive form the rules that
 * cannot all hold together; each is reported with the must-launch and fixed items that load it
 * in the relaxed solution and the weeks those items can use (their windows, lead times and
 * promotion deadlines), e.g. "3 must-launch laptops (...) need weeks 2026-12-07..2026-12-21
 * but the laptops cadence allows 2 launches in any 4 weeks".
 */
import { buildFormulation, type Formulation } from './formulation.js';
import type { LaunchOption, PlannerModel } from './model.js';
import { weekDate } from './model.js';
import { solveFormulation } from './solver.js';
import { ruleOf } from './rules/index.js';
import type { ConflictContext, Involved } from './rules/rule.js';
import type { RuleId } from './rules/rule.js';
import type { Conflict } from './types.js';

function windowOf(m: PlannerModel, c: number): [number, number] | null {
  const o = m.options[c];
  return o.length === 0 ? null : [o[0].w, o[o.length - 1].w];
}

function describeItems(m: PlannerModel, items: Involved[]): { text: string; from: number; to: number } {
  const must = items.filter((i) => !i.fixed && m.candidates[i.c].mustLaunch);
  const fixed = items.filter((i) => i.fixed);
  const other = items.filter((i) => !i.fixed && !m.candidates[i.c].mustLaunch);
  const parts: string[] = [];
  let from = Infinity;
  let to = -Infinity;
  for (const i of must) {
    const win = windowOf(m, i.c);
    if (win) {
      from = Math.min(from, win[0]);
      to = Math.max(to, win[1]);
    }
  }
  for (const i of [...fixed, ...other]) {
    from = Math.min(from, i.w);
    to = Math.max(to, i.w);
  }
  const names = (list: Involved[]) => list.map((i) => m.candidates[i.c].name).join(', ');
  if (must.length > 0) parts.push(`${must.length} must-launch item${must.length > 1 ? 's' : ''} (${names(must)})`);
  if (fixed.length > 0) parts.push(`${fixed.length} already launched/committed (${fixed.map((i) => `${m.candidates[i.c].name} ${weekDate(m.scenario, i.w)}`).join(', ')})`);
  if (other.length > 0) parts.push(`${other.length} other (${names(other)})`);
  return { text: parts.join(' and ') || 'the fixed plan', from, to };
}

function windowNotes(m: PlannerModel, items: Involved[]): string {
  const notes = new Set<string>();
  for (const i of items) if (!i.fixed && m.candidates[i.c].mustLaunch) for (const n of m.windowNotes[i.c]) notes.add(`${m.candidates[i.c].name}: ${n}`);
  return notes.size > 0 ? ` (${[...notes].join('; ')})` : '';
}

/** Conflicts for a scenario the MILP found infeasible; [] when the relaxation needs no slack. */
/**
 * @param lazyRows the rows of lazily generated rules the MILP had when it proved infeasibility
 *   (the conflict is among those rows).
 */
export async function explainInfeasibility(m: PlannerModel, lazyRows: ReadonlyMap<RuleId, 'all' | Set<number>>, timeLimitSeconds: number): Promise<Conflict[]> {
  const f = buildFormulation(m, { lazyRows, elastic: true });
  // A tiny cost on launches keeps optional items out of the relaxed plan (they only add load).
  for (let k = 0; k < f.nX; k++) f.colCost[k] = 1e-4;
  const out = await solveFormulation(f, { sense: 'min', timeLimitSeconds, gapTarget: 0 });
  if (!out.values) {
    return [{ rule: 'must-launch', message: `the rules conflict but the conflicting set could not be isolated within ${timeLimitSeconds}s (${out.status})`, candidateIds: [] }];
  }
  return conflictsFromRelaxation(m, f, out.values);
}

function conflictsFromRelaxation(m: PlannerModel, f: Formulation, x: Float64Array): Conflict[] {
  const chosen: LaunchOption[] = [];
  for (let k = 0; k < f.nX; k++) if (x[k] > 0.5) chosen.push(f.xOption[k]);
  const fixed = m.fixed.filter((o): o is LaunchOption => o !== null);
  const all: Involved[] = [...chosen.map((o) => ({ c: o.c, w: o.w, fixed: false })), ...fixed.map((o) => ({ c: o.c, w: o.w, fixed: true }))];
  const byKey = new Map<string, { conflict: Conflict; slack: number }>();
  const s = m.scenario;
  const ctx: ConflictContext = {
    m,
    chosen,
    fixed,
    all,
    describeItems: (items) => describeItems(m, items),
    windowNotes: (items) => windowNotes(m, items),
    ids: (items) => items.map((i) => m.candidates[i.c].id),
  };
  for (const { col, row } of f.slacks) {
    const slack = x[col];
    if (!(slack > 1e-6)) continue;
    const r = f.rows[row];
    let key = '';
    let conflict: Conflict | null = null;
    if (r.meta.family === 'must-launch') {
      const c = r.meta.c!;
      const cand = m.candidates[c];
      const win = windowOf(m, c);
      key = `must:${c}`;
      conflict = {
        rule: win ? 'must-launch' : m.windowNotes[c].some((n) => n.startsWith('lead')) ? 'lead-time' : m.windowNotes[c].length > 0 ? 'promotion' : 'window',
        message: win
          ? `must-launch ${cand.name} cannot be placed in ${weekDate(s, win[0])}..${weekDate(s, win[1])} under the other rules`
          : `must-launch ${cand.name} has no possible launch week: ${m.windowNotes[c].join('; ') || `its window ${cand.earliestWeek}..${cand.latestWeek} is outside the planning weeks`}`,
        candidateIds: [cand.id],
      };
    } else {
      const found = ruleOf(r.meta.family)?.explain?.(r, slack, ctx);
      if (!found) continue;
      ({ key, conflict } = found);
    }
    const prev = byKey.get(key);
    if (!prev || slack > prev.slack) byKey.set(key, { conflict, slack });
  }
  return [...byKey.values()].map((v) => v.conflict);
}
