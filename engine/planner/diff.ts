/**
 * What changed between two plans of the same scope, for the replan notification: items moved
 * to another week, added, dropped, or re-quantified, each with the reason taken from the new
 * plan (the moved/added item's main driver, the dropped item's not-launched reason).
 */
import type { PlanChange, PlanDiff, PlanResult } from './types.js';

export function diffPlans(previous: PlanResult, next: PlanResult): PlanDiff {
  const before = new Map(previous.items.map((i) => [i.candidateId, i]));
  const after = new Map(next.items.map((i) => [i.candidateId, i]));
  const dropReason = new Map(next.notLaunched.map((n) => [n.candidateId, n.reason]));
  const changes: PlanChange[] = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    const why = a.rationale.drivers[0]?.detail ?? a.rationale.summary;
    if (!b) {
      changes.push({ candidateId: id, name: a.name, kind: 'added', toWeek: a.weekStart, toQty: a.openingQty, why });
    } else if (b.weekStart !== a.weekStart) {
      // Compare dates, not indices: a replan's week 0 is a later Monday than its parent's.
      changes.push({ candidateId: id, name: a.name, kind: 'moved', fromWeek: b.weekStart, toWeek: a.weekStart, fromQty: b.openingQty, toQty: a.openingQty, why });
    } else if (b.openingQty !== a.openingQty) {
      const dir = a.openingQty > b.openingQty ? 'up' : 'down';
      changes.push({
        candidateId: id,
        name: a.name,
        kind: 'requantified',
        fromWeek: b.weekStart,
        toWeek: a.weekStart,
        fromQty: b.openingQty,
        toQty: a.openingQty,
        why: `expected demand over the coverage moved ${dir} (expected units ${b.expectedUnits} -> ${a.expectedUnits})`,
      });
    }
  }
  for (const [id, b] of before) {
    if (after.has(id)) continue;
    changes.push({ candidateId: id, name: b.name, kind: 'dropped', fromWeek: b.weekStart, fromQty: b.openingQty, why: dropReason.get(id) ?? 'no longer a candidate' });
  }
  const order = { moved: 0, added: 1, dropped: 2, requantified: 3 };
  changes.sort((x, y) => order[x.kind] - order[y.kind] || x.name.localeCompare(y.name));
  const count = (k: PlanChange['kind']) => changes.filter((c) => c.kind === k).length;
  const objectiveDelta = Math.round((next.objective.total - previous.objective.total) * 100) / 100;
  const summary =
    changes.length === 0
      ? 'no changes'
      : `${count('moved')} moved, ${count('added')} added, ${count('dropped')} dropped, ${count('requantified')} re-quantified; expected value ${objectiveDelta >= 0 ? '+' : ''}${objectiveDelta}`;
  return { changes, objectiveDelta, summary };
}
