import type { ScopeRules } from '../contracts/scope-rules.js';
import type { Database } from '../db/client.js';
import { planInputsRepository } from '../db/repositories/plan-inputs.repository.js';
import { clashPenaltyForCategory } from '../engine/planner/competition.js';

/**
 * Expected competitor-clash penalty per category and planning week, from the launch-timing game
 * estimated on the scope's own launches and its competitors' (engine/planner/competition.ts).
 */
export async function clashPenalties(
  database: Database,
  set: { region: string; categories: string[]; start_week: string; sales_through: string },
  rules: ScopeRules,
): Promise<Array<{ category: string; values: number[] }>> {
  const repo = planInputsRepository(database);
  const [ours, theirs] = await Promise.all([repo.ourLaunches(set, set.sales_through), repo.competitorLaunches(set)]);
  return set.categories.map((category) => {
    const mine = ours.filter((o) => o.category === category);
    const margin = mine.length ? mine.reduce((a, o) => a + o.units * o.unitMargin, 0) / mine.length : 0;
    const { values } = clashPenaltyForCategory({
      history: { ours: mine.map((o) => ({ week: o.week, units: o.units })), theirs: theirs.filter((t) => t.category === category).map((t) => t.week) },
      startWeek: set.start_week,
      weeks: rules.planningWeeks,
      asOf: set.sales_through,
      windowWeeks: rules.clashWindowWeeks,
      marginPerLaunch: margin,
    });
    return { category, values };
  });
}
