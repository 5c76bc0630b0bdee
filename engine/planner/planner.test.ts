import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffPlans, exportLp, generateScenario, greedyPlan, planLaunches, validateScenario } from './index.js';
import { runGreedy } from './greedy.js';
import { lagrangian, priced, unfixedOptions } from './lagrangian.js';
import { buildModel, type LaunchOption, type PlannerModel } from './model.js';
import { launchesOf, objectiveOf } from './rationale.js';
import { checkPlan, type Launch } from './state.js';
import type { Scenario } from './types.js';

const small = (): Scenario => validateScenario(JSON.parse(readFileSync(new URL('./examples/small.json', import.meta.url), 'utf8')));

/** Best plan by enumerating every choice (no launch or one option) for every candidate. */
function exhaustive(m: PlannerModel): { total: number; launches: Launch[] } | null {
  const fixed: Launch[] = m.fixed.flatMap((o, c) => (o ? [{ c, w: o.w, option: o }] : []));
  let best: { total: number; launches: Launch[] } | null = null;
  const choice: (LaunchOption | null)[] = [];
  const rec = (c: number) => {
    if (c === m.candidates.length) {
      const launches = [...fixed, ...choice.flatMap((o) => (o ? [{ c: o.c, w: o.w, option: o }] : []))];
      if (checkPlan(m, launches).length > 0) return;
      const total = objectiveOf(m, launches).total;
      if (!best || total > best.total) best = { total, launches };
      return;
    }
    if (m.fixed[c]) {
      choice[c] = null;
      rec(c + 1);
      return;
    }
    for (const o of [null, ...m.options[c]]) {
      choice[c] = o;
      rec(c + 1);
    }
  };
  rec(0);
  return best;
}

function tiny(seed: number, tweak?: (s: Scenario) => void): Scenario {
  const s = generateScenario({ candidates: 5, weeks: 6, horizonWeeks: 3, seed, mustLaunchShare: 0 });
  s.cannibalisation = { rate: 0.3, windowWeeks: 3 };
  s.rules.minGapSimilarWeeks = 1 + (seed % 2);
  tweak?.(s);
  return validateScenario(s);
}

describe('MILP', () => {
  const cases: [string, Scenario][] = [
    ['seed 1', tiny(1)],
    ['seed 2', tiny(2)],
    ['seed 3 with a tight budget', tiny(3, (s) => s.rules.monthlyBudget!.forEach((b) => (b.amount *= 0.4)))],
    ['seed 4 with a tight warehouse', tiny(4, (s) => (s.rules.warehouseCapacityUnits = 150))],
    [
      'seed 5 with a must-launch and a committed item',
      tiny(5, (s) => {
        s.candidates[0].mustLaunch = true;
        Object.assign(s.candidates[1], { committed: true, fixedWeek: 2, fixedQty: 40 });
      }),
    ],
    [
      'seed 7 with a 3-week gap between similar items and no cannibalisation',
      tiny(7, (s) => {
        s.rules.minGapSimilarWeeks = 3;
        s.rules.maxLaunchesPerWeek = 3;
        delete s.rules.cadence;
        delete s.cannibalisation;
      }),
    ],
    ['seed 6 with a cadence of one launch in 3 weeks', tiny(6, (s) => s.rules.cadence!.forEach((c) => Object.assign(c, { maxLaunches: 1, windowWeeks: 3 })))],
  ];

  for (const [name, scenario] of cases) {
    it(`matches exhaustive search over all plans (${name})`, async () => {
      const m = buildModel(scenario);
      const best = exhaustive(m);
      const plan = await planLaunches(scenario, { gapTarget: 0, timeLimitSeconds: 30 });
      if (!best) {
        expect(plan.status).toBe('infeasible');
        return;
      }
      expect(plan.method).toBe('milp');
      expect(plan.status).toBe('optimal');
      // Totals in the plan are rounded to cents.
      expect(plan.objective.total).toBeCloseTo(best.total, 1);
      const g = greedyPlan(scenario);
      expect(g.objective.total).toBeLessThanOrEqual(best.total + 0.01);
    });
  }

  for (const [name, scenario] of cases) {
    it(`has a Lagrangian bound above the exhaustive optimum that never fixes out its launches (${name})`, () => {
      const m = buildModel(scenario);
      const best = exhaustive(m);
      const { state, unplaced } = runGreedy(m);
      if (!best || unplaced.length > 0) return;
      const greedy = launchesOf(state);
      const r = lagrangian(m, { start: greedy, deadlineSeconds: 5, gapTarget: 0 });
      expect(r.bound).toBeGreaterThanOrEqual(best.total - 1e-6);
      expect(r.value).toBeLessThanOrEqual(best.total + 1e-6);
      expect(checkPlan(m, r.plan)).toEqual([]);
      // Fixing against the greedy value keeps every option of the optimum (it is at least as good).
      const { columns } = unfixedOptions(m, priced(m, r), objectiveOf(m, greedy).total);
      for (const l of best.launches) if (!m.fixed[l.c]) expect(columns[l.c]).toContain(l.option);
    });
  }

  it('beats the greedy baseline on the example scenario, where cadence and capacity bind', async () => {
    const s = small();
    const plan = await planLaunches(s, { gapTarget: 0 });
    const g = greedyPlan(s);
    expect(plan.method).toBe('milp');
    expect(plan.objective.total).toBeGreaterThan(g.objective.total * 1.1);
    const m = buildModel(s);
    const idx = new Map(s.candidates.map((c, i) => [c.id, i]));
    const launches = plan.items.map((it) => {
      const c = idx.get(it.candidateId)!;
      const o = m.fixed[c] ?? m.options[c].find((x) => x.w === it.week)!;
      return { c, w: it.week, option: o };
    });
    expect(checkPlan(m, launches)).toEqual([]);
  });

  it('under a tight time limit returns a rule-abiding plan no worse than greedy, with its method said', async () => {
    const s = validateScenario(generateScenario({ candidates: 80, weeks: 12, seed: 11, mustLaunchShare: 0 }));
    const plan = await planLaunches(s, { timeLimitSeconds: 0.5, gapTarget: 0 });
    const g = greedyPlan(s);
    expect(['milp', 'greedy-fallback']).toContain(plan.method);
    if (plan.method === 'greedy-fallback') expect(plan.fallbackReason).toBeTruthy();
    expect(plan.status).not.toBe('infeasible');
    expect(plan.objective.total).toBeGreaterThanOrEqual(g.objective.total - 0.01);
    const m = buildModel(s);
    const idx = new Map(s.candidates.map((c, i) => [c.id, i]));
    const launches = plan.items.map((it) => {
      const c = idx.get(it.candidateId)!;
      return { c, w: it.week, option: m.options[c].find((x) => x.w === it.week)! };
    });
    expect(checkPlan(m, launches)).toEqual([]);
  });

  it('exports the model as LP text with one binary per launch option', () => {
    const s = small();
    const lp = exportLp(s);
    const m = buildModel(s);
    // Optional candidates' options with non-positive value are left out of the model.
    const nOptions = m.options.reduce((a, l, c) => a + l.filter((o) => o.value > 0 || s.candidates[c].mustLaunch).length, 0);
    expect(lp).toMatch(/^Maximize$/m);
    const binaries = lp.slice(lp.indexOf('Binary')).split(/\s+/).filter((t) => t.startsWith('x_'));
    expect(binaries).toHaveLength(nOptions);
  });
});

describe('infeasible rules', () => {
  it('names the cadence and the must-launch items that conflict', async () => {
    const s = small();
    for (const c of s.candidates)
      if (c.category === 'laptops' && c.id !== 'LAP-003') Object.assign(c, { mustLaunch: true, earliestWeek: 2, latestWeek: 4, leadTimeWeeks: 1 });
    s.rules.monthlyBudget = [];
    const plan = await planLaunches(s);
    expect(plan.status).toBe('infeasible');
    expect(plan.method).toBe('greedy-fallback');
    const cadence = plan.conflicts.find((c) => c.rule === 'cadence');
    expect(cadence?.message).toMatch(/3 must-launch items \(Aero 14 laptop, Aero 16 laptop, Slate 13 laptop\)/);
    expect(cadence?.message).toMatch(/weeks 2026-12-14\.\.2026-12-28/);
    expect(cadence?.message).toMatch(/laptops cadence allows 2 launches in any 4 weeks/);
    expect(plan.conflicts.map((c) => c.rule)).not.toContain('budget');
  });

  it('names the budget when must-launch opening stock exceeds the month', async () => {
    const s = small();
    s.candidates.find((c) => c.id === 'LAP-001')!.latestWeek = 3;
    s.rules.monthlyBudget = [{ month: '2026-12', amount: 10_000 }];
    const plan = await planLaunches(s);
    expect(plan.status).toBe('infeasible');
    const budget = plan.conflicts.find((c) => c.rule === 'budget');
    expect(budget?.message).toMatch(/Aero 14 laptop.*2026-12 budget is 10,000/);
  });

  it('explains a must-launch item whose promotion deadline falls before its lead time', async () => {
    const s = small();
    const lap = s.candidates.find((c) => c.id === 'LAP-003')!;
    Object.assign(lap, { mustLaunch: true, leadTimeWeeks: 3 });
    const plan = await planLaunches(s);
    expect(plan.status).toBe('infeasible');
    expect(plan.conflicts[0].message).toMatch(/Forge 15 gaming laptop has no possible launch week/);
    expect(plan.conflicts[0].message).toMatch(/Christmas sale/);
  });
});

describe('greedy', () => {
  it('never breaks a rule on generated scenarios', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const s = validateScenario(generateScenario({ candidates: 60, weeks: 12, seed, mustLaunchShare: 0 }));
      const m = buildModel(s);
      const { state, unplaced } = runGreedy(m);
      expect(unplaced).toEqual([]);
      const launches = launchesOf(state);
      expect(launches.length).toBeGreaterThan(0);
      expect(checkPlan(m, launches)).toEqual([]);
    }
  });

  it('reports every launched item with opening qty, interval and a rationale', () => {
    const plan = greedyPlan(small());
    expect(plan.status).toBe('feasible');
    for (const it of plan.items) {
      expect(it.openingQty).toBeGreaterThan(0);
      expect(it.unitsInterval.lo).toBeLessThanOrEqual(it.expectedUnits);
      expect(it.unitsInterval.hi).toBeGreaterThanOrEqual(it.expectedUnits);
      expect(it.unitsInterval.hi).toBeLessThanOrEqual(it.openingQty);
      expect(it.rationale.drivers.length).toBeGreaterThan(0);
    }
    expect(plan.items.length + plan.notLaunched.length).toBe(8);
  });
});

describe('validateScenario', () => {
  it('names the path of a bad field', () => {
    const raw = JSON.parse(readFileSync(new URL('./examples/small.json', import.meta.url), 'utf8'));
    raw.candidates[3].price = 0;
    raw.weeks[2] = '2026-12-15';
    expect(() => validateScenario(raw)).toThrow(/candidates\[3\]\.price: must be > 0/);
    expect(() => validateScenario(raw)).toThrow(/weeks\[2\]: must be an ISO Monday date/);
  });

  it('checks curve lengths against the horizon and unknown promotions', () => {
    const raw = JSON.parse(readFileSync(new URL('./examples/small.json', import.meta.url), 'utf8'));
    raw.candidates[1].curve.mean.pop();
    raw.candidates[2].promotions = ['nope'];
    expect(() => validateScenario(raw)).toThrow(/candidates\[1\]\.curve\.mean: must have horizonWeeks = 6 values, has 5/);
    expect(() => validateScenario(raw)).toThrow(/candidates\[2\]\.promotions\[0\]: unknown promotion "nope"/);
  });
});

describe('diffPlans', () => {
  it('lists moved, added and dropped items with reasons', () => {
    const s = small();
    const before = greedyPlan(s);
    const s2 = small();
    s2.rules.maxLaunchesPerWeek = 1;
    s2.candidates = s2.candidates.filter((c) => c.id !== 'HP-003');
    const after = greedyPlan(s2);
    const d = diffPlans(before, after);
    const dropped = d.changes.find((c) => c.candidateId === 'HP-003');
    expect(dropped?.kind).toBe('dropped');
    expect(d.changes.some((c) => c.kind === 'moved')).toBe(true);
    for (const c of d.changes) expect(c.why.length).toBeGreaterThan(0);
    expect(d.objectiveDelta).toBeCloseTo(after.objective.total - before.objective.total, 1);
    expect(diffPlans(before, before).changes).toEqual([]);
  });

  it('compares launch dates, not week indices, when the replan starts a week later', () => {
    const s = small();
    const before = greedyPlan(s);
    // The same plan seen from one week later: every index shifts by one, no date changes.
    const shifted = { ...before, items: before.items.map((i) => ({ ...i, week: i.week - 1 })) };
    expect(diffPlans(before, shifted).changes).toEqual([]);
  });
});
