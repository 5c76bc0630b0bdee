/**
 * A real shop through the whole loop: a slice of the UCI Online Retail II giftware shop
 * (coldstart-dev, converted by data/import/convert-uci.ts into test/fixtures/real-shop) is
 * imported with only the columns such a shop's export has, and the loop retrains, forecasts
 * and plans it.
 *
 * LAUNCHLOOP_REAL_SHOP_DIR=/tmp/uci-full (a full conversion) runs the same on the whole shop and
 * prints the measurements (import time, plan, forecast totals vs or-dev-truth.csv when
 * LAUNCHLOOP_REAL_SHOP_TRUTH names it); that run is a measurement, not a timed test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopStatusQuery } from '../contracts/workflows.js';
import { FILE_NAMES, importCsvFiles, type ImportFiles, type ImportKind, type ImportResult } from '../data/import/index.js';
import { startLoop } from '../services/workflow-starts.js';
import { freshDatabase, startStack, waitFor, type Stack } from './helpers.js';

const SCOPE = 'giftware/uk';
const FULL = process.env.LAUNCHLOOP_REAL_SHOP_DIR;
const DIR = FULL ?? join(import.meta.dirname, 'fixtures', 'real-shop');
const TRUTH = process.env.LAUNCHLOOP_REAL_SHOP_TRUTH ?? join(DIR, 'truth.csv');

describe('a real shop (UCI giftware) imported and planned through the loop', () => {
  let stack: Stack;
  let imported: ImportResult;
  let importMs = 0;

  beforeAll(async () => {
    const database = await freshDatabase();
    const files: ImportFiles = {};
    for (const kind of Object.keys(FILE_NAMES) as ImportKind[]) if (existsSync(join(DIR, FILE_NAMES[kind]))) files[kind] = join(DIR, FILE_NAMES[kind]);
    const started = performance.now();
    imported = await importCsvFiles(database, files);
    importMs = performance.now() - started;
    // Short training keeps the test quick (the whole shop trains with the defaults); the rules the import sized stay.
    // For comparison (measurement only): the fixed default rules instead of the history-sized ones.
    if (FULL && process.env.LAUNCHLOOP_REAL_SHOP_FIXED_RULES) await database.sql`update scopes set rules = '{}'::jsonb where id = ${SCOPE}`;
    if (!FULL) await database.sql`update scopes set rules = rules || ${JSON.stringify({ coldStart: { epochs: 4, checkpointEvery: 1 } })}::jsonb where id = ${SCOPE}`;
    stack = await startStack({ namespace: 'll-real-shop', database });
  }, 600_000);

  afterAll(async () => {
    await stack?.close();
    await stack?.database.close();
  });

  it('imports the export with defaults for what it lacks, every product in the wildcard scope', async () => {
    const { report, inserted } = imported;
    expect(inserted.products).toBeGreaterThan(0);
    expect(inserted.candidates).toBeGreaterThan(0);
    // No unit cost, launch week or window end in the files: the documented defaults filled them.
    expect(report.defaulted).toMatchObject({
      'products.unit_cost': inserted.products,
      'products.launch_week': inserted.products,
      'candidates.unit_cost': inserted.candidates,
      'candidates.latest_week': inserted.candidates,
    });
    expect(report.expanded[SCOPE].length).toBeGreaterThan(1);
    expect(report.uncovered).toEqual([]);
    expect(report.sizedRules[SCOPE]).toMatch(/sized from the history: \d+ launches in \d+ weeks/);
    const [scope] = await stack.database.sql<{ rules: { maxLaunchesPerWeek?: number } }[]>`select rules from scopes where id = ${SCOPE}`;
    if (!process.env.LAUNCHLOOP_REAL_SHOP_FIXED_RULES) expect(scope.rules.maxLaunchesPerWeek).toBeGreaterThanOrEqual(3);
    const [cost] = await stack.database.sql<{ ratio: number }[]>`select max(abs(unit_cost / price - 0.5))::float8 as ratio from products where price > 0`;
    expect(cost.ratio).toBeLessThan(1e-3);
  });

  it('runs retrain → forecast → plan to a draft plan', async () => {
    const started = performance.now();
    const handle = await startLoop(stack.client, { scopeId: SCOPE, trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour' });
    const status = await waitFor(
      'a plan awaiting approval',
      async () => {
        const s = await handle.query(loopStatusQuery);
        if (s.lastError) throw new Error(s.lastError);
        return s.stage === 'awaiting-approval' ? s : undefined;
      },
      FULL ? 1_200_000 : 300_000,
    );
    const loopMs = performance.now() - started;
    const sql = stack.database.sql;
    const [plan] = await sql<{ id: number; forecast_set_id: number; summary: Record<string, unknown> }[]>`
      select id, forecast_set_id, summary from plans where id = ${status.pendingPlanId!}`;
    const items = await sql<{ candidate_id: string; launch_week: string; opening_qty: number; expected_units: number }[]>`
      select candidate_id, launch_week::text, opening_qty, expected_units from plan_items where plan_id = ${plan.id}`;
    expect(items.length).toBeGreaterThan(0);

    // The retrain said whether its model beat like-item; the forecasts came from what serves.
    const [retrain] = await sql<{ detail: { promoted?: boolean; decision?: string; metrics?: Record<string, number> } }[]>`
      select detail from runs where kind = 'retrain' and scope_id = ${SCOPE} order by started_at desc limit 1`;
    const [set] = await sql<{ summary: { candidates?: { method: string } } }[]>`select summary from forecast_sets where id = ${plan.forecast_set_id}`;
    const method = set.summary.candidates?.method ?? '';
    if (retrain?.detail.promoted === false) expect(method).toMatch(/^like-item/);

    const totals = await sql<{ series_key: string; units: number }[]>`
      select p.series_key, sum(p.mean)::float8 as units from forecast_points p join candidates c on c.id = p.series_key and c.scope_id = ${SCOPE}
       where p.set_id = ${plan.forecast_set_id} group by p.series_key`;
    const expected = totals.reduce((a, t) => a + t.units, 0);
    const planned = items.reduce((a, i) => a + i.expected_units, 0);
    expect(expected).toBeGreaterThan(0);
    // The summary says how much expected demand is planned (and why not, when most is not) and where the rules came from.
    const demand = plan.summary.demand as { share: number; why?: string } | undefined;
    expect(demand?.share).toBeGreaterThan(0);
    if (demand!.share < 0.5) expect(demand!.why).toMatch(/held back by/);
    if (!process.env.LAUNCHLOOP_REAL_SHOP_FIXED_RULES) expect(plan.summary.notes).toEqual([expect.stringMatching(/^launch rules sized from the history/)]);

    const lines = [
      `real shop ${FULL ? DIR : 'fixture'}: import ${Math.round(importMs)} ms (${imported.inserted.products} products, ${imported.inserted.sales} sales rows, ${imported.inserted.candidates} candidates)`,
      `  rules: ${imported.report.sizedRules[SCOPE] ?? 'fixed defaults'}`,
      `  retrain: ${retrain?.detail.decision ?? JSON.stringify(retrain?.detail.metrics ?? {})}; forecasts by ${method}`,
      `  loop to a plan ${(loopMs / 1000).toFixed(1)} s: ${items.length} launches; plan items' expected sales ${Math.round(planned)} vs candidates' 13-week forecast ${Math.round(expected)}; ` +
        `summary demand ${JSON.stringify(plan.summary.demand)}`,
    ];
    const notLaunched = (plan.summary.notLaunched as Array<{ reason: string }> | undefined) ?? [];
    const why = new Map<string, number>();
    for (const n of notLaunched) {
      const key = n.reason.replace(/[\d.,]+/g, '#').replace(/ on \S+/g, '').slice(0, 70);
      why.set(key, (why.get(key) ?? 0) + 1);
    }
    lines.push(`  not launched ${notLaunched.length}: ${[...why.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${n}× ${k}`).join(' | ')}`);
    if (existsSync(TRUTH)) {
      const truth = new Map<string, number>();
      for (const line of readFileSync(TRUTH, 'utf8').trim().split('\n').slice(1)) {
        const [id, , units] = line.split(',');
        truth.set(id, (truth.get(id) ?? 0) + Number(units));
      }
      const pairs = totals.filter((t) => truth.has(t.series_key)).map((t) => ({ f: t.units, a: truth.get(t.series_key)! }));
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      const real = sum(pairs.map((p) => p.a));
      const plannedIds = new Set(items.map((i) => i.candidate_id));
      lines.push(
        `  candidates' 13-week totals (${pairs.length}): forecast ${Math.round(sum(pairs.map((p) => p.f)))} vs real ${Math.round(real)} ` +
          `(bias ${((sum(pairs.map((p) => p.f)) - real) / real).toFixed(3)}, WAPE of totals ${(sum(pairs.map((p) => Math.abs(p.f - p.a))) / real).toFixed(3)}, ` +
          `median forecast ${median(pairs.map((p) => p.f)).toFixed(0)} vs real ${median(pairs.map((p) => p.a)).toFixed(0)}); ` +
          `planned items' real units ${Math.round(sum([...plannedIds].map((id) => truth.get(id) ?? 0)))} of ${Math.round(real)}`,
      );
    }
    console.log(lines.join('\n'));
  }, 1_500_000);
});
