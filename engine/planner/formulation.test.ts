import { describe, expect, it } from 'vitest';
import { buildFormulation } from './formulation.js';
import { generateScenario } from './generate.js';
import { buildModel } from './model.js';
import { objectiveOf } from './rationale.js';
import { validateScenario } from './schema.js';
import { solveFormulation } from './solver.js';

describe('MILP formulation', () => {
  it('charges cannibalisation for two similar launches in the same week when no min gap is set', async () => {
    // Two items of one group that can only launch in week 3, no gap rule: the window holding
    // week 3 has one open z column, which can still count two launches.
    const s = generateScenario({ candidates: 2, weeks: 4, seed: 3, horizonWeeks: 4, warehouse: false });
    s.rules = { minGapSimilarWeeks: 0 };
    delete s.competition;
    delete s.inventoryRisk;
    for (const c of s.candidates) {
      Object.assign(c, { category: 'cat0', group: 'g', earliestWeek: 3, latestWeek: 3, leadTimeWeeks: 0 });
      delete c.promotions;
      delete c.mustLaunch;
    }
    s.cannibalisation = { rate: 0.9, windowWeeks: 2 };
    const m = buildModel(validateScenario(s));
    const f = buildFormulation(m, {});
    const out = await solveFormulation(f, { sense: 'max', timeLimitSeconds: 5, gapTarget: 0 });
    const launches = f.xOption.flatMap((o, k) => (out.values![k] > 0.5 ? [{ c: o.c, w: o.w, option: o }] : []));
    // The model's objective is the plan's true value (cannibalisation included).
    expect(out.objective).toBeCloseTo(objectiveOf(m, launches).total, 4);
  });
});
