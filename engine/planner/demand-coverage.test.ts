import { describe, expect, it } from 'vitest';
import { generateScenario, greedyPlan } from './index.js';
import { planDraft } from './draft.js';

describe("the plan's demand coverage", () => {
  const base = generateScenario({ candidates: 40, weeks: 8, horizonWeeks: 4, seed: 3, mustLaunchShare: 0 });

  it('adds up: planned demand is the launches’ share of every candidate’s expected demand', () => {
    const loose = greedyPlan({ ...base, rules: { ...base.rules, maxLaunchesPerWeek: 40, cadence: [] } });
    const d = loose.demand!;
    expect(d.plannedUnits).toBeLessThanOrEqual(d.candidateUnits);
    expect(d.share).toBeCloseTo(d.plannedUnits / d.candidateUnits, 3);
    const unplanned = d.unplannedBy.reduce((a, u) => a + u.units, 0);
    expect(unplanned).toBeCloseTo(d.candidateUnits - d.plannedUnits, 0);
    expect(d.unplannedBy.reduce((a, u) => a + u.candidates, 0)).toBe(loose.notLaunched.length);
  });

  it('says which rule held most demand back when most of it is not planned', () => {
    const tight = greedyPlan({ ...base, notes: ['launch rules sized from the history: test'], rules: { ...base.rules, maxLaunchesPerWeek: 1, cadence: [] } });
    const d = tight.demand!;
    expect(d.share).toBeLessThan(0.5);
    expect(d.unplannedBy[0].cause).toBe('rule: launch-capacity');
    expect(d.why).toMatch(/^\d+% of the candidates' expected demand is not planned; \d+% is held back by rule: launch-capacity \(\d+ candidates\)$/);
    // Both reach the stored plan's summary.
    const summary = planDraft({ result: tight, skipped: [], reason: 'test', startWeek: base.weeks[0] }).summary;
    expect(summary.demand).toEqual(d);
    expect(summary.notes).toEqual(['launch rules sized from the history: test']);
  });
});
