/**
 * The planner's rules, one file each (see rule.ts). Adding a rule: write its file and add it
 * here. The order is the order of rows and columns in the MILP, of multiplier blocks in the
 * Lagrangian relaxation and of the greedy's checks ("first rule broken"): append new rules at
 * the end so existing models keep their row order.
 */
import { budgetRule } from './budget.js';
import { cadenceRule } from './cadence.js';
import { cannibalisationRule } from './cannibalisation.js';
import { capacityRule } from './capacity.js';
import type { Rule } from './rule.js';
import { similarGapRule } from './similar-gap.js';
import { warehouseRule } from './warehouse.js';

export const rules: readonly Rule[] = [
  capacityRule,
  cadenceRule,
  similarGapRule,
  cannibalisationRule,
  budgetRule,
  warehouseRule,
];

const byId = new Map(rules.map((r) => [r.id as string, r]));

/** The rule that owns rows of this family (row families are rule ids), if any. */
export function ruleOf(family: string): Rule | undefined {
  return byId.get(family);
}

export type { Rule, RuleId, Violation } from './rule.js';
export { cannibalisation } from './cannibalisation.js';
