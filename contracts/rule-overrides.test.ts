import { describe, expect, it } from 'vitest';
import {
  applyRuleOverrides,
  describeRuleOverrides,
  NOT_OVERRIDABLE,
  nonEmptyOverrides,
  PLANNER_OVERRIDE_KEYS,
  PLANNING_OVERRIDE_KEYS,
  plannerOnlyKeys,
  ruleOverridesSchema,
  unknownOverrideReferences,
} from './rule-overrides.js';
import { formatZodIssues, scopeRulesSchema } from './scope-rules.js';

const stored = scopeRulesSchema.parse({ monthlyBudget: 100_000, replenishment: { serviceLevel: 0.9 }, cadence: [{ category: 'phones', maxLaunches: 1, windowWeeks: 4 }] });

describe('rule overrides', () => {
  it('classify every scope rule exactly once, so a new rule cannot slip into overrides unnoticed', () => {
    const all = [...PLANNING_OVERRIDE_KEYS, ...PLANNER_OVERRIDE_KEYS, ...Object.keys(NOT_OVERRIDABLE)];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(Object.keys(scopeRulesSchema.shape).sort());
  });

  it('leave fields they do not name at the scope value instead of the default', () => {
    const o = ruleOverridesSchema.parse({ replenishment: { opening: 'lead-time-and-review' } });
    expect(o).toEqual({ replenishment: { opening: 'lead-time-and-review' } });
    const merged = applyRuleOverrides(stored, o);
    expect(merged.success).toBe(true);
    expect(merged.data!.replenishment).toMatchObject({ serviceLevel: 0.9, opening: 'lead-time-and-review' });
    expect(merged.data!.monthlyBudget).toBe(100_000);
    // The stored rules object is not changed by the merge.
    expect(stored.replenishment.opening).toBe('coverage');
  });

  it('replace numbers and lists whole', () => {
    const merged = applyRuleOverrides(stored, { monthlyBudget: 120_000, cadence: [] });
    expect(merged.data).toMatchObject({ monthlyBudget: 120_000, cadence: [] });
  });

  it('refuse bad values with the rule named, using the bounds of the scope rules', () => {
    const r = ruleOverridesSchema.safeParse({ monthlyBudget: -5, replenishment: { serviceLevel: 2 } });
    expect(r.success).toBe(false);
    const issues = formatZodIssues(r.error!).join('\n');
    expect(issues).toMatch(/^monthlyBudget: /m);
    expect(issues).toMatch(/^replenishment\.serviceLevel: /m);
  });

  it("carry the closed loop's settings field by field, with the KPI simulation's values as defaults", () => {
    expect(stored.replenishment).toMatchObject({ openingServiceLevel: 0.65, curveSpreadScale: 1.25, moqBatchHurdle: 0.05 });
    const merged = applyRuleOverrides(stored, { replenishment: { openingServiceLevel: 0.7, moqBatchHurdle: 0 } });
    expect(merged.data!.replenishment).toMatchObject({ serviceLevel: 0.9, openingServiceLevel: 0.7, curveSpreadScale: 1.25, moqBatchHurdle: 0 });
    const r = ruleOverridesSchema.safeParse({ replenishment: { openingServiceLevel: 0.2, curveSpreadScale: 5, moqBatchHurdle: 0.6 } });
    const issues = formatZodIssues(r.error!).join('\n');
    for (const f of ['openingServiceLevel', 'curveSpreadScale', 'moqBatchHurdle']) expect(issues).toMatch(new RegExp(`^replenishment\\.${f}: `, 'm'));
  });

  it('refuse training and adjust-stage settings with why, and unknown keys as not rules', () => {
    const r = ruleOverridesSchema.safeParse({ coldStart: { epochs: 10_000 }, budget: 1 });
    expect(r.success).toBe(false);
    const text = formatZodIssues(r.error!).join('\n');
    expect(text).toContain('coldStart cannot be overridden for one replan: it is a training setting');
    expect(text).toContain('budget is not a scope rule');
  });

  it('name the keys that need the planner role', () => {
    expect(plannerOnlyKeys({ solver: { timeLimitSeconds: 600 }, monthlyBudget: 1 })).toEqual(['solver']);
    expect(plannerOnlyKeys({ monthlyBudget: 1 })).toEqual([]);
  });

  it('treat an empty override as none', () => {
    expect(nonEmptyOverrides({})).toBeUndefined();
    expect(nonEmptyOverrides(undefined)).toBeUndefined();
    expect(nonEmptyOverrides({ monthlyBudget: 5 })).toEqual({ monthlyBudget: 5 });
  });

  it('describe each override against the scope rule in words', () => {
    expect(describeRuleOverrides(stored, { monthlyBudget: 120_000, warehouseCapacityUnits: 5_000, replenishment: { serviceLevel: 0.85 } })).toEqual([
      'monthly opening budget raised to 120,000 for this replan (scope rule: 100,000)',
      'warehouse capacity (units) set to 5,000 for this replan (the scope has none)',
      'replenishment serviceLevel lowered to 0.85 for this replan (scope rule: 0.9)',
    ]);
  });

  it('name categories, promotions and candidates the scope does not have', () => {
    const known = { scopeId: 'electronics/east', categories: ['phones'], promotions: ['618'], candidateIds: ['c1'] };
    expect(unknownOverrideReferences({ monthlyBudget: 1 }, known)).toEqual([]);
    expect(
      unknownOverrideReferences(
        { cadence: [{ category: 'toys', maxLaunches: 1, windowWeeks: 2 }], promotionRides: [{ promotion: 'nope', candidateIds: ['c1', 'c9'] }] },
        known,
      ),
    ).toEqual([
      'ruleOverrides.cadence names categories outside electronics/east: toys',
      "ruleOverrides.promotionRides names promotions the scope's region does not have: nope",
      'ruleOverrides.promotionRides names candidates that are not in electronics/east: c9',
    ]);
  });
});
