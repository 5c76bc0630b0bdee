/**
 * The plans' integrity on a real Postgres: the constraints of migration 0002 refuse bad rows, a
 * stale draft cannot be published (also when two approvals race), and a retried
 * `buildLaunchPlan` stores one plan, not two.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createPlanActivities } from '../activities/plan.activities.js';
import { connect, migrateDatabase, type Database } from '../db/client.js';
import { artifactsRepository } from '../db/repositories/artifacts.repository.js';
import { plansRepository, type NewPlan } from '../db/repositories/plans.repository.js';
import { addWeeks } from '../engine/calendar/index.js';
import { TASKS } from '../services/thread-tasks.js';
import { freshDatabases } from './helpers.js';

const fresh = freshDatabases();
const SCOPE = 'phones/east';
const OTHER = 'phones/west';
const START = '2027-01-04'; // a Monday

/** Two scopes, three candidates and a forecast set: what plan rows reference. */
async function seedPlans(database: Database): Promise<{ setId: number }> {
  const { sql } = database;
  await sql`insert into scopes (id, region, categories) values (${SCOPE}, 'east', ${['phones']}), (${OTHER}, 'west', ${['phones']})`;
  for (const id of ['a', 'b', 'c'])
    await sql`insert into candidates (id, scope_id, name, category, subcategory, brand, price, unit_cost, salvage_value, moq, lead_time_weeks, earliest_week, latest_week)
              values (${id}, ${SCOPE}, ${`Phone ${id}`}, 'phones', 'flagship', 'acme', 100, 55, 20, 10, 2, ${addWeeks(START, 2)}, ${addWeeks(START, 20)})`;
  const [set] = await sql<{ id: number }[]>`insert into forecast_sets (scope_id, run_id, horizon, start_week, method) values (${SCOPE}, 'test', 26, ${START}, 'test') returning id`;
  return { setId: set.id };
}

const item = (candidateId: string, over: Partial<NewPlan['items'][number]> = {}): NewPlan['items'][number] => ({
  candidateId,
  launchWeek: addWeeks(START, 3),
  openingQty: 40,
  expectedUnits: 30,
  unitsLo: 20,
  unitsHi: 40,
  expectedMargin: 500,
  rationale: ['test'],
  fixed: false,
  ...over,
});

function draft(setId: number, over: Partial<NewPlan> = {}): NewPlan {
  return { scopeId: SCOPE, runId: 'replan/phones/east/k', forecastSetId: setId, method: 'greedy', objective: 1, gap: null, summary: {}, diff: null, items: [item('a')], ...over };
}

/** The constraint a statement broke (postgres.js puts it on the error), or 'accepted'. */
async function violation(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    const e = err as { constraint_name?: string; message: string };
    return e.constraint_name ?? e.message;
  }
}

describe('plan constraints (migration 0002)', () => {
  let database: Database;
  let planId: number;

  beforeAll(async () => {
    database = await fresh();
    const { setId } = await seedPlans(database);
    planId = (await plansRepository(database).create(draft(setId))).id;
  });

  /** A plan item row, valid unless `over` breaks it. */
  const insertItem = (over: Record<string, unknown>) => {
    const row = { plan_id: planId, candidate_id: 'b', launch_week: addWeeks(START, 3), opening_qty: 5, expected_units: 3, units_lo: 1, units_hi: 5, expected_margin: 0, rationale: '[]', ...over };
    return database.sql`insert into plan_items ${database.sql(row)}`;
  };

  it('accepts a valid plan item (so each refusal below is the constraint, not the row)', async () => {
    expect(await violation(insertItem({ candidate_id: 'c' }))).toBe('accepted');
  });

  it('refuses a negative opening quantity', async () => {
    expect(await violation(insertItem({ opening_qty: -1 }))).toBe('plan_items_opening_qty_ck');
  });

  it('refuses negative expected units and bands, and a band whose low end is above its high end', async () => {
    expect(await violation(insertItem({ expected_units: -0.5 }))).toBe('plan_items_units_ck');
    expect(await violation(insertItem({ units_lo: -1 }))).toBe('plan_items_units_ck');
    expect(await violation(insertItem({ units_hi: -1, units_lo: -2 }))).toBe('plan_items_units_ck');
    expect(await violation(insertItem({ units_lo: 6, units_hi: 5 }))).toBe('plan_items_units_ck');
  });

  it('refuses a launch week that is not a Monday', async () => {
    expect(await violation(insertItem({ launch_week: '2027-01-26' }))).toBe('plan_items_launch_week_ck');
    expect(await violation(insertItem({ launch_week: '2027-01-31' }))).toBe('plan_items_launch_week_ck');
  });

  it('refuses an unknown plan status and a version below 1', async () => {
    expect(await violation(database.sql`update plans set status = 'bogus' where id = ${planId}`)).toBe('plans_status_ck');
    expect(await violation(database.sql`update plans set status = 'approved' where id = ${planId}`)).toBe('plans_status_ck');
    expect(await violation(database.sql`update plans set version = 0 where id = ${planId}`)).toBe('plans_version_ck');
  });

  it('refuses a parent plan that does not exist, and a plan that is its own parent', async () => {
    expect(await violation(database.sql`update plans set parent_plan_id = 999999 where id = ${planId}`)).toBe('plans_parent_plan_id_plans_id_fk');
    expect(await violation(database.sql`update plans set parent_plan_id = ${planId} where id = ${planId}`)).toBe('plans_parent_ck');
  });

  it('keeps at most one published plan per scope, any number of superseded ones, and scopes apart', async () => {
    const { sql } = database;
    const [set] = await sql<{ id: number }[]>`select id from forecast_sets limit 1`;
    const repo = plansRepository(database);
    const ids = [];
    for (const scopeId of [SCOPE, SCOPE, SCOPE, OTHER]) ids.push((await repo.create(draft(set.id, { scopeId, items: [] }))).id);
    await sql`update plans set status = 'published' where id = ${ids[0]}`;
    expect(await violation(sql`update plans set status = 'published' where id = ${ids[1]}`)).toBe('plans_one_published_uq');
    expect(await violation(sql`update plans set status = 'published' where id = ${ids[3]}`)).toBe('accepted');
    expect(await violation(sql`update plans set status = 'superseded' where id in (${ids[1]}, ${ids[2]})`)).toBe('accepted');
  });

  it('keeps one plan per attempt key', async () => {
    const { sql } = database;
    await sql`update plans set attempt_key = 'wf/run/1' where id = ${planId}`;
    const [other] = await sql<{ id: number }[]>`select id from plans where id <> ${planId} limit 1`;
    expect(await violation(sql`update plans set attempt_key = 'wf/run/1' where id = ${other.id}`)).toBe('plans_attempt_key_uq');
  });
});

describe('publishing only a draft of the published plan', () => {
  it('refuses stale drafts: two replans of v1, approving v3 then v4 and then the older v2', async () => {
    const database = await fresh();
    const { setId } = await seedPlans(database);
    const repo = plansRepository(database);
    const decide = (id: number) => repo.decide({ planId: id, to: 'published', by: 'ana' });

    const first = await repo.create(draft(setId));
    expect(await decide(first.id)).toBeNull(); // a scope's first plan, nothing published yet
    const [older, b, c] = [await repo.create(draft(setId, { parentPlanId: first.id })), await repo.create(draft(setId, { parentPlanId: first.id })), await repo.create(draft(setId, { parentPlanId: first.id }))];
    expect([older.version, b.version, c.version]).toEqual([2, 3, 4]);

    expect(await decide(b.id)).toBeNull();
    const staleC = await decide(c.id);
    expect(staleC).toMatchObject({ code: 'plans.stale', details: { parentPlanId: first.id, publishedPlanId: b.id, publishedVersion: 3 } });
    expect(staleC?.message).toContain(`plan ${b.id} (v3) is now published for ${SCOPE}`);
    expect(staleC?.message).toContain(`POST /scopes/${SCOPE}/replans`);
    expect(await decide(older.id)).toMatchObject({ code: 'plans.stale', details: { publishedPlanId: b.id } });
    expect(await repo.stalePublish(older.id)).toMatchObject({ code: 'plans.stale' });

    const status = async () => Object.fromEntries((await database.sql<{ version: number; status: string }[]>`select version, status from plans order by version`).map((r) => [r.version, r.status]));
    expect(await status()).toEqual({ 1: 'superseded', 2: 'draft', 3: 'published', 4: 'draft' });
    // A stale draft can still be rejected; a draft of the published plan can be published.
    expect(await repo.decide({ planId: older.id, to: 'rejected', by: 'ana' })).toBeNull();
    const rebased = await repo.create(draft(setId, { parentPlanId: b.id }));
    expect(await repo.stalePublish(rebased.id)).toBeNull();
    expect(await decide(rebased.id)).toBeNull();
    expect(await status()).toEqual({ 1: 'superseded', 2: 'rejected', 3: 'superseded', 4: 'draft', 5: 'published' });
  });

  it('refuses a second first plan once one is published', async () => {
    const database = await fresh();
    const { setId } = await seedPlans(database);
    const repo = plansRepository(database);
    const [x, y] = [await repo.create(draft(setId)), await repo.create(draft(setId))];
    expect(await repo.decide({ planId: x.id, to: 'published', by: 'ana' })).toBeNull();
    expect(await repo.decide({ planId: y.id, to: 'published', by: 'ana' })).toMatchObject({ code: 'plans.stale', details: { parentPlanId: null, publishedPlanId: x.id } });
  });

  it('publishes exactly one of two drafts of the same plan approved at the same moment', async () => {
    const database = await fresh();
    const { setId } = await seedPlans(database);
    const repo = plansRepository(database);
    const first = await repo.create(draft(setId));
    await repo.decide({ planId: first.id, to: 'published', by: 'ana' });
    for (let round = 0; round < 5; round++) {
      const [parent] = await database.sql<{ id: number }[]>`select id from plans where scope_id = ${SCOPE} and status = 'published'`;
      const drafts = await Promise.all([0, 1, 2].map(() => repo.create(draft(setId, { parentPlanId: parent.id }))));
      const answers = await Promise.all(drafts.map((d) => repo.decide({ planId: d.id, to: 'published', by: 'ana' })));
      expect(answers.filter((a) => a === null)).toHaveLength(1);
      expect(answers.filter((a) => a?.code === 'plans.stale')).toHaveLength(2);
      const [{ n }] = await database.sql<{ n: number }[]>`select count(*)::int as n from plans where scope_id = ${SCOPE} and status = 'published'`;
      expect(n).toBe(1);
    }
  });
});

describe('one plan per buildLaunchPlan execution', () => {
  let database: Database;
  let setId: number;

  beforeAll(async () => {
    database = await fresh();
    ({ setId } = await seedPlans(database));
  });

  it('stores one plan when the same attempt key is created twice, also at the same moment', async () => {
    const repo = plansRepository(database);
    const key = 'plan/phones/east/cycle-1/run-1/1';
    const [x, y] = await Promise.all([repo.create(draft(setId, { attemptKey: key })), repo.create(draft(setId, { attemptKey: key }))]);
    expect(x.id).toBe(y.id);
    expect([x.existing, y.existing].sort()).toEqual([false, true]);
    expect(await repo.create(draft(setId, { attemptKey: key }))).toEqual({ id: x.id, version: x.version, existing: true });
    const [{ n }] = await database.sql<{ n: number }[]>`select count(*)::int as n from plans where attempt_key = ${key}`;
    expect(n).toBe(1);
  });

  it('returns the plan the first run stored when the activity runs again for the same execution', async () => {
    const level = { a: 120, b: 80, c: 40 } as const;
    const curve = (seriesKey: keyof typeof level) => ({
      seriesKey,
      refWeek: START,
      errorCorrelation: null,
      steps: Array.from({ length: 13 }, (_, i) => i + 1),
      mean: Array.from({ length: 13 }, (_, i) => level[seriesKey] * Math.exp(-i / 6)),
      lo80: Array.from({ length: 13 }, (_, i) => 0.6 * level[seriesKey] * Math.exp(-i / 6)),
      hi80: Array.from({ length: 13 }, (_, i) => 1.4 * level[seriesKey] * Math.exp(-i / 6)),
    });
    const candidates = await database.sql<never[]>`
      select id, name, category, subcategory, price, unit_cost as "unitCost", salvage_value as "salvageValue", moq, lead_time_weeks as "leadTimeWeeks",
             earliest_week as "earliestWeek", latest_week as "latestWeek", must_launch as "mustLaunch", launched_week as "launchedWeek", committed_qty as "committedQty"
      from candidates where scope_id = ${SCOPE} order by id`;
    const set = { id: setId, scopeId: SCOPE, snapshotId: null, horizon: 26, startWeek: START, salesThrough: addWeeks(START, -1), region: 'east', categories: ['phones'], rules: {} };
    const empty = async () => [];
    let solves = 0;
    const acts = createPlanActivities({
      // Postgres for what the activity stores; the planning inputs as in-memory rows.
      plans: plansRepository(database),
      artifacts: artifactsRepository(database),
      forecasts: { getSet: async () => set as never },
      inputs: {
        candidates: async () => candidates,
        curves: async () => [curve('a'), curve('b'), curve('c')],
        categoryHistory: empty,
        promotions: empty,
        parentItems: empty,
        coverSequences: empty,
        ourLaunches: empty,
        competitorLaunches: empty,
      },
      pool: { run: (async (task: keyof typeof TASKS, input: unknown) => (solves++, TASKS[task](input as never))) as never },
    });
    const input = { scopeId: SCOPE, forecastSetId: setId, runId: 'loop/phones/east', reason: 'scheduled cycle 1' };
    const info = { workflowExecution: { workflowId: 'plan/phones/east/cycle-1', runId: randomBytes(8).toString('hex') }, activityId: '1' };
    const env = () => new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });

    const first = (await env().run(acts.buildLaunchPlan, input)) as Awaited<ReturnType<typeof acts.buildLaunchPlan>>;
    const retry = (await env().run(acts.buildLaunchPlan, input)) as typeof first;
    expect(retry).toEqual(first);
    expect(solves).toBe(1); // the retry found the stored plan and its result, and solved nothing
    const rows = await database.sql<{ id: number; items: number }[]>`
      select p.id, (select count(*)::int from plan_items i where i.plan_id = p.id) as items from plans p where p.run_id = ${input.runId}`;
    expect(rows).toEqual([{ id: first.planId, items: first.items }]);

    // A crash after the commit but before the solved result was stored: the retry solves again,
    // keeps the stored plan and stores its result in the missing place.
    await database.sql`delete from artifacts where uri = ${`plans/${first.planId}/result.json`}`;
    const late = (await env().run(acts.buildLaunchPlan, input)) as typeof first;
    expect(late.planId).toBe(first.planId);
    expect(solves).toBe(2);
    expect((await database.sql`select 1 from plans where run_id = ${input.runId}`).length).toBe(1);
    expect((await database.sql`select 1 from artifacts where uri = ${`plans/${first.planId}/result.json`}`).length).toBe(1);

    // Another execution (the next cycle's activity) is another plan.
    const next = (await new MockActivityEnvironment({ ...info, activityId: '2' }, { logger: new DefaultLogger('ERROR') }).run(acts.buildLaunchPlan, input)) as typeof first;
    expect(next.planId).not.toBe(first.planId);
  });

  it('keeps the publish failure typed: a stale draft fails publishPlan with a non-retryable StalePlan', async () => {
    const repo = plansRepository(database);
    const acts = createPlanActivities({ plans: repo } as never); // only the plans repository is used by publishPlan
    const p1 = await repo.create(draft(setId, { scopeId: OTHER, items: [] }));
    const [x, y] = [await repo.create(draft(setId, { scopeId: OTHER, items: [], parentPlanId: p1.id })), await repo.create(draft(setId, { scopeId: OTHER, items: [], parentPlanId: p1.id }))];
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    await env.run(acts.publishPlan, { planId: p1.id, by: 'ana' });
    await env.run(acts.publishPlan, { planId: x.id, by: 'ana' });
    const err = await (env.run(acts.publishPlan, { planId: y.id, by: 'ana' }) as Promise<unknown>).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'StalePlan', nonRetryable: true, details: [{ parentPlanId: p1.id, publishedPlanId: x.id }] });
  });
});

describe('migration 0002 on a database with data', () => {
  it('applies over plans written before it, repairing what the constraints would refuse', async () => {
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = postgres(inject('pgUrlTemplate').replace('__DB__', 'postgres'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const database = connect(inject('pgUrlTemplate').replace('__DB__', name));
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    try {
      // The migrations as they were before 0002: the same files, the journal cut after 0001.
      const source = fileURLToPath(new URL('../db/migrations', import.meta.url));
      await cp(source, dir, { recursive: true });
      const journal = JSON.parse(await readFile(join(dir, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
      journal.entries = journal.entries.filter((e) => e.tag < '0002');
      await writeFile(join(dir, 'meta/_journal.json'), JSON.stringify(journal));
      await migrate(database.db, { migrationsFolder: dir });

      const { sql } = database;
      await seedPlans(database);
      const plan = (version: number, status: string, parent: number | null) =>
        sql<{ id: number }[]>`insert into plans (scope_id, version, parent_plan_id, run_id, status, method, objective) values (${SCOPE}, ${version}, ${parent}, 'loop/phones/east', ${status}, 'greedy', 1) returning id`;
      const [v1] = await plan(1, 'published', null);
      const [v2] = await plan(2, 'published', v1.id);
      const [v3] = await plan(3, 'draft', 424242);
      await sql`insert into plan_items (plan_id, candidate_id, launch_week, opening_qty, expected_units, units_lo, units_hi, expected_margin, rationale)
                values (${v2.id}, 'a', ${addWeeks(START, 3)}, 40, 30, 20, 40, 500, '[]')`;

      await migrateDatabase(database);
      const rows = await sql<{ id: number; status: string; parentPlanId: number | null }[]>`select id, status, parent_plan_id as "parentPlanId" from plans order by version`;
      expect(rows).toEqual([
        { id: v1.id, status: 'superseded', parentPlanId: null },
        { id: v2.id, status: 'published', parentPlanId: v1.id },
        { id: v3.id, status: 'draft', parentPlanId: null },
      ]);
      expect(await violation(sql`update plans set status = 'published' where id = ${v1.id}`)).toBe('plans_one_published_uq');
      // At every start the migrations run again: nothing more to apply.
      await migrateDatabase(database);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await database.close();
    }
  });
});
