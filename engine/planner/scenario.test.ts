import { describe, expect, it } from 'vitest';
import { scopeRulesSchema } from '../../contracts/scope-rules.js';
import { addWeeks } from '../calendar/index.js';
import { buildScenario, clashPenalties, planningScenario, type CandidateInput, type PlanningRows } from './scenario.js';

const rules = scopeRulesSchema.parse({ planningWeeks: 8, coverageWeeks: 4 });
const start = '2026-11-30';
const cand = (id: string, over: Partial<CandidateInput> = {}): CandidateInput => ({
  id,
  name: id,
  category: 'phones',
  subcategory: 'flagship',
  price: 100,
  unitCost: 60,
  salvageValue: 20,
  moq: 10,
  leadTimeWeeks: 1,
  earliestWeek: start,
  latestWeek: addWeeks(start, 7),
  mustLaunch: false,
  launchedWeek: null,
  committedQty: null,
  ...over,
});
const curve = (refWeek: string) => ({ refWeek, mean: [10, 20, 20, 10], lo80: [5, 10, 10, 5], hi80: [15, 30, 30, 15] });

describe('buildScenario', () => {
  it('maps candidates to week indices and divides the forecast week context out of the curve', () => {
    // A flat history with a doubled week 50: launching in week 50 sees twice the demand.
    const history = Array.from({ length: 160 }, (_, i) => {
      const week = addWeeks('2023-12-04', i);
      return { week, units: 100 };
    });
    const { scenario, skipped } = buildScenario({
      scopeId: 'electronics/east',
      startWeek: start,
      rules,
      candidates: [cand('A'), cand('B', { earliestWeek: addWeeks(start, 20), latestWeek: addWeeks(start, 30) })],
      curves: new Map([['A', curve(start)], ['B', curve(start)]]),
      categoryHistory: new Map([['phones', history]]),
      promotions: [],
    });
    expect(skipped).toEqual([{ candidateId: 'B', reason: expect.stringMatching(/outside the planning horizon/) }]);
    expect(scenario.weeks).toHaveLength(8);
    expect(scenario.weeks[0]).toBe(start);
    const a = scenario.candidates[0];
    expect(a).toMatchObject({ id: 'A', group: 'flagship', earliestWeek: 0, latestWeek: 7, holdingCostPerWeek: 60 * rules.holdingCostRate });
    // Flat history: multipliers are 1, so the base curve is the forecast itself and sd = 80% half-width / z.
    expect(a.curve.mean).toEqual([10, 20, 20, 10]);
    expect(a.curve.sd[1]).toBeCloseTo(10 / 1.2815515655446004, 9);
    expect(scenario.rules.cadence).toEqual([{ category: 'phones', maxLaunches: 2, windowWeeks: 4 }]);
  });

  it("holds the scope's monthly budget also in the months after the planning weeks where planned reorders fall", () => {
    // Planning weeks 2026-11-30..2027-01-18 (8), coverage 4: a launch in the last week orders its
    // reorders up to 2027-02-08, so February is budgeted too; without reorders only Nov–Jan are.
    const scenarioWith = (replenishment: Record<string, unknown> | undefined) =>
      buildScenario({
        scopeId: 'electronics/east',
        startWeek: start,
        rules: scopeRulesSchema.parse({ planningWeeks: 8, coverageWeeks: 4, monthlyBudget: 5000, ...(replenishment ? { replenishment } : {}) }),
        candidates: [cand('A')],
        curves: new Map([['A', curve(start)]]),
        categoryHistory: new Map(),
        promotions: [],
      }).scenario;
    expect(scenarioWith({ opening: 'lead-time-and-review' }).rules.monthlyBudget).toEqual(['2026-11', '2026-12', '2027-01', '2027-02'].map((month) => ({ month, amount: 5000 })));
    expect(scenarioWith(undefined).rules.monthlyBudget).toEqual(['2026-11', '2026-12', '2027-01'].map((month) => ({ month, amount: 5000 })));
  });

  it('keeps launched items and committed orders of the revised plan fixed', () => {
    const { scenario } = buildScenario({
      scopeId: 'electronics/east',
      startWeek: start,
      rules,
      candidates: [cand('L', { launchedWeek: addWeeks(start, -2), committedQty: 50 }), cand('C', { leadTimeWeeks: 3 }), cand('F')],
      curves: new Map([['L', curve(start)], ['C', curve(start)], ['F', curve(start)]]),
      categoryHistory: new Map(),
      promotions: [],
      parentItems: [
        { candidateId: 'C', launchWeek: addWeeks(start, 2), openingQty: 70 }, // ordered 3 weeks ahead: already placed
        { candidateId: 'F', launchWeek: addWeeks(start, 6), openingQty: 40 }, // order not placed yet: free to move
      ],
    });
    const byId = new Map(scenario.candidates.map((c) => [c.id, c]));
    expect(byId.get('L')).toMatchObject({ alreadyLaunched: true, fixedWeek: -2, fixedQty: 50 });
    expect(byId.get('C')).toMatchObject({ committed: true, fixedWeek: 2, fixedQty: 70 });
    expect(byId.get('F')?.committed).toBeUndefined();
    expect(byId.get('F')?.fixedWeek).toBeUndefined();
  });
});

describe('weekly error correlation of the coverage demand', () => {
  const build = (correlation: number | 'auto', measured: Array<number | undefined>) =>
    buildScenario({
      scopeId: 'electronics/east',
      startWeek: start,
      rules: scopeRulesSchema.parse({ planningWeeks: 8, coverageWeeks: 4, demandUncertainty: { weeklyCorrelation: correlation } }),
      candidates: measured.map((_, i) => cand(`C${i}`)),
      curves: new Map(measured.map((m, i) => [`C${i}`, { ...curve(start), ...(m !== undefined ? { errorCorrelation: m } : {}) }])),
      categoryHistory: new Map(),
      promotions: [],
    }).scenario.demand;

  it("with 'auto' takes the median the curves' model measured, and 1 when none was measured", () => {
    expect(build('auto', [0.2, 0.9, 0.4])).toMatchObject({ distribution: 'lognormal', weeklyCorrelation: 0.4 });
    expect(build('auto', [undefined, undefined]).weeklyCorrelation).toBe(1);
  });

  it('uses a correlation the scope pins', () => {
    expect(build(0.3, [0.9]).weeklyCorrelation).toBe(0.3);
  });

  it('rejects a correlation outside [0, 1] with the field named', () => {
    const r = scopeRulesSchema.safeParse({ demandUncertainty: { weeklyCorrelation: 2 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path.join('.')).toBe('demandUncertainty.weeklyCorrelation');
  });
});

describe('planningScenario', () => {
  const rows = (over: Partial<PlanningRows> = {}): PlanningRows => ({
    scopeId: 'phones/east',
    region: 'east',
    categories: ['phones'],
    startWeek: start,
    salesThrough: addWeeks(start, -1),
    rules,
    candidates: [cand('a'), cand('b')],
    curves: [{ seriesKey: 'a', refWeek: null, mean: [10, 20, 20, 10], lo80: [5, 10, 10, 5], hi80: [15, 30, 30, 15], errorCorrelation: 0.4 }],
    categoryHistory: [],
    promotions: [],
    parentItems: [],
    ourLaunches: [],
    competitorLaunches: [],
    inventory: [],
    ...over,
  });

  it('skips candidates without a curve and reads a curve without a reference week as forecast for the start week', () => {
    const { scenario, skipped } = planningScenario(rows());
    expect(skipped).toEqual([{ candidateId: 'b', reason: 'no launch-curve forecast' }]);
    expect(scenario.candidates.map((c) => c.id)).toEqual(['a']);
    // No history: every multiplier is 1, so the curve passes through unchanged.
    expect(scenario.candidates[0].curve.mean).toEqual([10, 20, 20, 10]);
    // 'auto' takes the correlation the curves' model measured.
    expect(scenario.demand.weeklyCorrelation).toBe(0.4);
  });

  it('prices competitor clashes per category once both sides have launch history', () => {
    const weeks = Array.from({ length: 30 }, (_, i) => addWeeks(start, -60 + 2 * i));
    const ourLaunches = weeks.map((week, i) => ({ category: 'phones', week, units: i % 3 === 0 ? 200 : 400, unitMargin: 40 }));
    const competitorLaunches = weeks.filter((_, i) => i % 3 === 0).map((week) => ({ category: 'phones', week }));
    const { scenario } = planningScenario(rows({ ourLaunches, competitorLaunches }));
    expect(scenario.competition?.clashPenalty.map((c) => c.category)).toEqual(['phones']);
    expect(scenario.competition?.clashPenalty[0].values).toHaveLength(rules.planningWeeks);
    expect(clashPenalties(rows({ ourLaunches, competitorLaunches }))).toEqual(scenario.competition?.clashPenalty);
  });
});
