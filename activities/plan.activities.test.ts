import { ApplicationFailure } from '@temporalio/common';
import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import type { NewPlan } from '../db/repositories/plans.repository.js';
import { addWeeks } from '../engine/calendar/index.js';
import type { CandidateInput, PlanResult } from '../engine/planner/index.js';
import { TASKS } from '../services/thread-tasks.js';
import { createPlanActivities, type PlanActivityDeps } from './plan.activities.js';

// buildLaunchPlan and the decisions on MockActivityEnvironment, with in-memory repositories and
// a pool that runs the real planner task in-process: no Postgres, no worker threads.

const START = '2027-01-04';
const SCOPE = 'phones/east';
const SET = { id: 7, scopeId: SCOPE, snapshotId: 3, horizon: 26, startWeek: START, salesThrough: addWeeks(START, -1), region: 'east', categories: ['phones'], rules: {} as Record<string, unknown> };

const candidate = (id: string, over: Partial<CandidateInput> = {}): CandidateInput => ({
  id,
  name: `Phone ${id}`,
  category: 'phones',
  subcategory: 'flagship',
  price: 100,
  unitCost: 55,
  salvageValue: 20,
  moq: 10,
  leadTimeWeeks: 2,
  earliestWeek: addWeeks(START, 2),
  latestWeek: addWeeks(START, 20),
  mustLaunch: false,
  launchedWeek: null,
  committedQty: null,
  ...over,
});
const curve = (seriesKey: string, level: number) => ({
  seriesKey,
  refWeek: START,
  errorCorrelation: null,
  steps: Array.from({ length: 13 }, (_, i) => i + 1),
  mean: Array.from({ length: 13 }, (_, i) => level * Math.exp(-i / 6)),
  lo80: Array.from({ length: 13 }, (_, i) => 0.6 * level * Math.exp(-i / 6)),
  hi80: Array.from({ length: 13 }, (_, i) => 1.4 * level * Math.exp(-i / 6)),
});

function fakes(over: { set?: typeof SET | undefined; candidates?: CandidateInput[]; curves?: ReturnType<typeof curve>[]; solve?: PlanActivityDeps['pool']['run'] } = {}) {
  const created: NewPlan[] = [];
  const artifacts = new Map<string, unknown>();
  const decisions: Array<{ planId: number; to: string }> = [];
  const deps: PlanActivityDeps = {
    forecasts: { getSet: async (id) => ('set' in over ? over.set : id === SET.id ? SET : undefined) as typeof SET },
    inputs: {
      candidates: async () => over.candidates ?? [candidate('a'), candidate('b'), candidate('c')],
      curves: async () => over.curves ?? [curve('a', 120), curve('b', 80), curve('c', 40)],
      categoryHistory: async () => [],
      promotions: async () => [],
      parentItems: async () => [],
      coverSequences: async () => [],
      ourLaunches: async () => [],
      competitorLaunches: async () => [],
    },
    plans: {
      create: async (p) => {
        const earlier = created.findIndex((c) => c.attemptKey !== undefined && c.attemptKey === p.attemptKey);
        if (earlier >= 0) return { id: 101 + earlier, version: earlier + 1, existing: true };
        created.push(p);
        return { id: 100 + created.length, version: created.length, existing: false };
      },
      byAttemptKey: async (key) => {
        const i = created.findIndex((c) => c.attemptKey === key);
        if (i < 0) return undefined;
        const p = created[i];
        return { id: 101 + i, version: i + 1, scopeId: p.scopeId, diff: p.diff, attemptKey: key } as Awaited<ReturnType<PlanActivityDeps['plans']['byAttemptKey']>>;
      },
      decide: async ({ planId, to }) => {
        if (planId === 404) return { code: 'plans.not_found', message: `plan ${planId} does not exist` };
        if (planId === 409)
          return { code: 'plans.stale', message: `plan 409 (v4) is stale`, details: { parentPlanId: 3, publishedPlanId: 6, publishedVersion: 6 } };
        if (decisions.some((d) => d.planId === planId)) return { code: 'plans.not_draft', message: `plan ${planId} is not a draft` };
        decisions.push({ planId, to });
        return null;
      },
      latestPublished: async () => 55,
    },
    artifacts: {
      getJson: async <T,>(uri: string) => artifacts.get(uri) as T | undefined,
      putJson: async (uri, value) => {
        artifacts.set(uri, JSON.parse(JSON.stringify(value)));
        return uri;
      },
    },
    // The real planner task, run in-process (the thread pool only moves it off the event loop).
    pool: { run: over.solve ?? ((async (task, input) => TASKS[task](input as never)) as PlanActivityDeps['pool']['run']) },
  };
  return { deps, created, artifacts, decisions };
}

/** Failures are expected here; the SDK's 'Activity failed' warnings would only bury the report. */
const quietEnv = (info?: Partial<Info>) => new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });

/** env.run with the activity's result type (MockActivityEnvironment.run cannot infer it). */
const runIn = <I, O>(env: MockActivityEnvironment, fn: (input: I) => Promise<O>, input: I): Promise<O> => env.run(fn, input) as Promise<O>;

const input = { scopeId: SCOPE, forecastSetId: SET.id, runId: 'loop/phones/east', reason: 'scheduled cycle 1' };

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('buildLaunchPlan', () => {
  it('plans the forecast set, stores the draft and its solved result, and heartbeats while solving', async () => {
    const { deps, created, artifacts } = fakes();
    const env = quietEnv();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const result = await runIn(env, createPlanActivities(deps).buildLaunchPlan, input);

    expect(created).toHaveLength(1);
    const [draft] = created;
    expect(draft).toMatchObject({ scopeId: SCOPE, forecastSetId: SET.id, runId: input.runId, method: result.method, diff: null });
    expect(draft.items.length).toBe(result.items);
    expect(result.items).toBeGreaterThan(0);
    for (const item of draft.items) {
      expect(item.launchWeek >= addWeeks(START, 2) && item.launchWeek <= addWeeks(START, 20)).toBe(true);
      expect(item.openingQty).toBeGreaterThanOrEqual(10);
      expect(item.rationale.length).toBeGreaterThan(0);
    }
    expect(draft.summary).toMatchObject({ reason: input.reason, startWeek: START, launches: result.items });
    expect(result).toMatchObject({ planId: 101, version: 1 });
    expect(result.summary).toMatch(/^plan v1 for phones\/east: \d+ launches, expected net value/);
    expect((artifacts.get('plans/101/result.json') as PlanResult).objective.total).toBeCloseTo(result.objective, 6);
    expect(beats[0]).toEqual({ stage: 'solving', candidates: 3, weeks: 26 });
  });

  it('diffs a replan against the plan it revises', async () => {
    const { deps, created } = fakes();
    const acts = createPlanActivities(deps);
    const env = quietEnv();
    const first = await runIn(env, acts.buildLaunchPlan, input);
    // Another activity execution (the adjust cycle's), so another attempt key.
    const second = await runIn(quietEnv({ activityId: 'adjust' }), acts.buildLaunchPlan, { ...input, parentPlanId: first.planId, reason: 'adjust' });
    expect(created[1].parentPlanId).toBe(first.planId);
    expect(created[1].diff).not.toBeNull();
    expect(second.summary).toContain('; vs previous: ');
  });

  it('returns the plan its earlier attempt stored when run again for the same activity execution', async () => {
    const { deps, created } = fakes();
    const acts = createPlanActivities(deps);
    const env = quietEnv();
    const first = await runIn(env, acts.buildLaunchPlan, input);
    const retry = await runIn(env, acts.buildLaunchPlan, input);
    expect(created).toHaveLength(1);
    expect(created[0].attemptKey).toMatch(/\S+\/\S+\/\S+/);
    expect(retry).toEqual(first);
  });

  it('plans a replan whose launched items already break the rules, with the breach as a warning in the stored summary', async () => {
    // a and b went out together in the first week: over a capacity of 1 a week and 2 weeks apart
    // for similar items. The plan still comes back; c launches away from them.
    const launched = { launchedWeek: START, committedQty: 60 };
    const candidates = [candidate('a', launched), candidate('b', launched), candidate('c')];
    const { deps, created, artifacts } = fakes({ set: { ...SET, rules: { maxLaunchesPerWeek: 1 } }, candidates });
    const result = await runIn(quietEnv(), createPlanActivities(deps).buildLaunchPlan, input);
    const capacity = `launch capacity in week ${START}: 2 launches already fixed against a limit of 1; no new launch placed there`;
    const warnings = created[0].summary.warnings as string[];
    expect(warnings[0]).toBe(capacity);
    expect(warnings.some((w) => w.startsWith(`similar gap in weeks ${START}..${START}: Phone a and Phone b`))).toBe(true);
    expect((artifacts.get('plans/101/result.json') as PlanResult).warnings).toEqual(warnings);
    expect(result.summary).toContain(`; ${warnings.length} warnings: ${capacity}`);
    expect(created[0].items.filter((i) => i.fixed).map((i) => i.candidateId).sort()).toEqual(['a', 'b']);
    for (const i of created[0].items.filter((x) => !x.fixed)) expect(i.launchWeek).not.toBe(START);
  });

  it("builds a replan's plan with its rule overrides on top of the scope rules, and stores and describes them", async () => {
    const options: unknown[] = [];
    const solve = (async (task, input) => {
      options.push((input as { options: unknown }).options);
      return TASKS[task](input as never);
    }) as PlanActivityDeps['pool']['run'];
    const { deps, created } = fakes({ set: { ...SET, rules: { maxLaunchesPerWeek: 3, monthlyBudget: 100_000 } }, solve });
    const ruleOverrides = { maxLaunchesPerWeek: 1, solver: { timeLimitSeconds: 7 } };
    const result = await runIn(quietEnv(), createPlanActivities(deps).buildLaunchPlan, { ...input, ruleOverrides });

    const weeks = created[0].items.map((i) => i.launchWeek);
    expect(new Set(weeks).size).toBe(weeks.length);
    expect(options[0]).toEqual({ timeLimitSeconds: 7, gapTarget: 0.01 });
    expect(created[0].ruleOverrides).toEqual(ruleOverrides);
    expect(created[0].summary.overrideNotes).toEqual([
      'launches per week lowered to 1 for this replan (scope rule: 3)',
      'solver timeLimitSeconds lowered to 7 for this replan (scope rule: 20)',
    ]);
    expect(result.summary).toContain('; rule overrides: launches per week lowered to 1 for this replan (scope rule: 3)');
    // A plan without overrides stores none.
    await runIn(quietEnv({ activityId: 'other' }), createPlanActivities(deps).buildLaunchPlan, input);
    expect(created[1].ruleOverrides).toBeNull();
    expect(created[1].summary.overrideNotes).toBeUndefined();
  });

  it('refuses overrides the API would have refused (a replan started from the CLI), naming the rule', async () => {
    const acts = createPlanActivities(fakes().deps);
    const training = await failureOf(runIn(quietEnv(), acts.buildLaunchPlan, { ...input, ruleOverrides: { coldStart: { epochs: 10_000 } } as never }));
    expect(training).toMatchObject({ type: 'InvalidScopeData', nonRetryable: true });
    expect(training.message).toContain('ruleOverrides: coldStart cannot be overridden for one replan');
    const bad = await failureOf(runIn(quietEnv(), acts.buildLaunchPlan, { ...input, ruleOverrides: { monthlyBudget: -1 } }));
    expect(bad.message).toContain('ruleOverrides.monthlyBudget');
    const ride = await failureOf(runIn(quietEnv(), acts.buildLaunchPlan, { ...input, ruleOverrides: { promotionRides: [{ promotion: 'nope', candidateIds: ['a', 'zz'] }] } }));
    expect(ride.message).toContain('promotions the scope\'s region does not have: nope');
    expect(ride.message).toContain('candidates that are not in phones/east: zz');
  });

  it('reports candidates it had to skip in the summary', async () => {
    const { deps, created } = fakes({ curves: [curve('a', 120), curve('b', 80)] });
    await runIn(quietEnv(), createPlanActivities(deps).buildLaunchPlan, input);
    expect(created[0].summary.notLaunched).toContainEqual({ candidateId: 'c', reason: 'no launch-curve forecast' });
  });

  it('fails non-retryably when the forecast set is missing or belongs to another scope', async () => {
    const missing = await failureOf(runIn(quietEnv(), createPlanActivities(fakes({ set: undefined }).deps).buildLaunchPlan, input));
    expect(missing).toMatchObject({ type: 'NotFound', nonRetryable: true });
    const other = await failureOf(runIn(quietEnv(), createPlanActivities(fakes().deps).buildLaunchPlan, { ...input, scopeId: 'tv/west' }));
    expect(other).toMatchObject({ type: 'InvalidScopeData', nonRetryable: true });
    expect(other.message).toContain('belongs to scope phones/east');
  });

  it('fails non-retryably on invalid rules and when no candidate can be planned, naming why', async () => {
    const badRules = await failureOf(
      runIn(quietEnv(), createPlanActivities(fakes({ set: { ...SET, rules: { planningWeeks: 2 } } }).deps).buildLaunchPlan, input),
    );
    expect(badRules).toMatchObject({ type: 'InvalidScopeData', nonRetryable: true });
    expect(badRules.message).toContain('planningWeeks');

    const outside = candidate('late', { earliestWeek: addWeeks(START, 40), latestWeek: addWeeks(START, 45) });
    const none = await failureOf(
      runIn(quietEnv(), createPlanActivities(fakes({ candidates: [outside], curves: [curve('late', 50)] }).deps).buildLaunchPlan, input),
    );
    expect(none).toMatchObject({ type: 'InvalidScopeData', nonRetryable: true });
    expect(none.message).toContain('late (launch window');
  });

  it('turns an infeasible solve into a PlanInfeasible failure carrying the conflicts, and stores nothing', async () => {
    const conflicts = [{ rule: 'must-launch', message: 'must-launch Phone a has no possible launch week', candidateIds: ['a'] }];
    const infeasible = { method: 'greedy', status: 'infeasible', objective: { total: 0 }, items: [], notLaunched: [], conflicts, warnings: [] } as unknown as PlanResult;
    const { deps, created } = fakes({ solve: async () => infeasible as never });
    const err = await failureOf(runIn(quietEnv(), createPlanActivities(deps).buildLaunchPlan, input));
    expect(err).toMatchObject({ type: 'PlanInfeasible', nonRetryable: true, details: [conflicts] });
    expect(err.message).toContain('must-launch Phone a has no possible launch week');
    expect(created).toEqual([]);
  });
});

describe('plan decisions', () => {
  it('publishes or rejects a draft once, and maps repository errors to non-retryable failures', async () => {
    const { deps, decisions } = fakes();
    const acts = createPlanActivities(deps);
    const env = quietEnv();
    await expect(runIn(env, acts.publishPlan, { planId: 101, by: 'ana' })).resolves.toEqual({ planId: 101, status: 'published' });
    await expect(runIn(env, acts.rejectPlan, { planId: 102, by: 'ana', note: 'too many phones' })).resolves.toEqual({ planId: 102, status: 'rejected' });
    expect(decisions).toEqual([
      { planId: 101, to: 'published' },
      { planId: 102, to: 'rejected' },
    ]);
    expect(await failureOf(runIn(env, acts.publishPlan, { planId: 101, by: 'bo' }))).toMatchObject({ type: 'InvalidPlanDecision', nonRetryable: true });
    expect(await failureOf(runIn(env, acts.rejectPlan, { planId: 404, by: 'bo' }))).toMatchObject({ type: 'NotFound', nonRetryable: true });
    expect(await failureOf(runIn(env, acts.publishPlan, { planId: 409, by: 'bo' }))).toMatchObject({
      type: 'StalePlan',
      nonRetryable: true,
      details: [{ parentPlanId: 3, publishedPlanId: 6, publishedVersion: 6 }],
    });
    await expect(runIn(env, acts.latestPublishedPlan, { scopeId: SCOPE })).resolves.toEqual({ planId: 55 });
  });
});
