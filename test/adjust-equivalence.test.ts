import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopStatusQuery, type LoopStatus } from '../contracts/workflows.js';
import { workflowIds } from '../contracts/ids.js';
import { adjustInputsRepository } from '../db/repositories/adjust-inputs.repository.js';
import { addWeeks, weeksBetween } from '../engine/calendar/index.js';
import { mulberry32 } from '../engine/math/index.js';
import { replenishmentRulesSchema } from '../contracts/scope-rules.js';
import { curveFromStored, scaleSpread, seasonEndRatio, validateReplenishmentParams, type WeeklyCurve } from '../engine/replenishment/index.js';
import { closedLoopCurveUpdate, simulateClosedLoop, type SimItem } from '../engine/simulation/index.js';
import { startLoop } from '../services/workflow-starts.js';
import { freshDatabase, seedSmall, startApi, startStack, waitFor, type Stack } from './helpers.js';

// The adjust stage through the real loop gives what the engine-level closed-loop simulation
// (engine/simulation simulateClosedLoop) gives on the same demand: a synthetic ground truth is
// sold week by week through the loop (sales = min(demand, stock), stock = the plan's opening
// quantity + the loop's own reorders that arrived − sales, sold-out weeks flagged), one sales
// batch a week, and the reorders the loop stores and the units it sold must equal the
// simulation's for those weeks.
//
// Issue 13 asks for Temporal's time-skipping test environment; its test server binary cannot be
// downloaded here, so this runs on the local dev server the other integration tests share, in
// real time: nothing in the adjust stage waits on a timer between batches. Namespace ll-invalid
// (invalid-data.test.ts plays electronics/east there; this plays electronics/west) because the
// namespaces are fixed when the dev server starts (test/namespaces.ts).

const SCOPE = 'electronics/west';
/** Weeks each followed item sells through the loop (at least). */
const PLAYED = 6;
const REPLENISHMENT = { serviceLevel: 0.9, casePack: 6, opening: 'lead-time-and-review' } as const;
/** The scope's rules with their defaults (opening service level, spread scale, MOQ risk margin: the KPI simulation's). */
const RULES = replenishmentRulesSchema.parse(REPLENISHMENT);

describe('the adjust stage matches the closed-loop simulation on the same demand', () => {
  let stack: Stack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const status = () => stack.client.workflow.getHandle(workflowIds.loop(SCOPE)).query(loopStatusQuery);
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json', ...api.auth }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const until = (what: string, ok: (s: LoopStatus) => boolean) =>
    waitFor(what, async () => {
      const s = await status();
      if (s.lastError) throw new Error(s.lastError);
      return ok(s) ? s : undefined;
    });

  beforeAll(async () => {
    const database = await freshDatabase();
    // Every reorder published at once, no early replan: the loop keeps monitoring through every batch.
    await seedSmall(database, { reorderApprovalLimit: 1e9, trackingSignalLimit: 100, replenishment: REPLENISHMENT });
    stack = await startStack({ namespace: 'll-invalid', database });
    api = await startApi(stack);
  });

  afterAll(async () => {
    // The loop is still monitoring (its feedback interval is an hour): end it, so nothing of this
    // file is left running in a namespace another file's workers poll.
    await stack?.client.workflow.getHandle(workflowIds.loop(SCOPE)).terminate('test finished').catch(() => undefined);
    await api?.close();
    await stack?.close();
    await stack?.database.close();
  });

  it(`plays ${PLAYED}+ weeks of sales through the loop and gets the simulation's reorders, sales and stock-outs`, async () => {
    await startLoop(stack.client, { scopeId: SCOPE, trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour' });
    const draft = await until('a plan awaiting approval', (s) => s.stage === 'awaiting-approval');
    expect((await call('POST', `/plans/${draft.pendingPlanId}/approve`, {})).status).toBe(200);
    await until('monitoring', (s) => s.stage === 'monitoring');

    type Row = { candidateId: string; launchWeek: string; openingQty: number; leadTimeWeeks: number; moq: number; price: number; unitCost: number; salvageValue: number };
    const items = await stack.database.sql<Row[]>`
      select i.candidate_id as "candidateId", i.launch_week::text as "launchWeek", i.opening_qty as "openingQty", c.lead_time_weeks as "leadTimeWeeks",
             c.moq, c.price, c.unit_cost as "unitCost", c.salvage_value as "salvageValue"
        from plan_items i join candidates c on c.id = i.candidate_id
       where i.plan_id = ${draft.pendingPlanId!} and c.lead_time_weeks >= 1 and i.opening_qty > 0
       order by i.launch_week, i.candidate_id limit 3`;
    expect(items.length).toBeGreaterThanOrEqual(2);
    const start = items[0].launchWeek;
    // Calendar weeks played: until the last of them has sold for PLAYED weeks.
    const weeks = weeksBetween(start, items[items.length - 1].launchWeek) + PLAYED;

    // The launch curve each item was planned on (what the adjust stage reads) and a ground truth
    // around it: one item selling three times its curve (it sells out before reorders catch up), one below it, one at twice it.
    const curves = await adjustInputsRepository(stack.database).launchCurves(SCOPE, items.map((i) => i.candidateId));
    const rand = mulberry32(13);
    const levels = [3, 0.6, 2];
    const truth = new Map(
      items.map((it, k) => {
        const stored = curves.find((c) => c.candidateId === it.candidateId)!;
        const played = Math.max(0, Math.min(stored.mean.length, weeks - weeksBetween(start, it.launchWeek)));
        const demand = stored.mean.map((m, h) => (h < played ? Math.max(h === 0 ? 1 : 0, Math.round(Math.max(0, m) * levels[k] * (0.8 + 0.4 * rand()))) : 0));
        return [it.candidateId, { prior: curveFromStored(stored), rho: stored.errorCorrelation ?? 1, demand }];
      }),
    );

    // The loop: sell each calendar week from stock, then send the batch and wait for its adjust.
    const orders = () =>
      stack.database.sql<{ candidateId: string; orderWeek: string; arrivalWeek: string; quantity: number; status: string }[]>`
        select candidate_id as "candidateId", order_week::text as "orderWeek", arrival_week::text as "arrivalWeek", quantity, status
          from purchase_orders where scope_id = ${SCOPE} order by candidate_id, order_week`;
    const sold = new Map(items.map((i) => [i.candidateId, 0]));
    const loopSales = { units: 0, lost: 0, stockoutWeeks: 0 };
    for (let t = 0; t < weeks; t++) {
      const week = addWeeks(start, t);
      const placed = await orders();
      for (const it of items) {
        const h = weeksBetween(it.launchWeek, week);
        const demand = truth.get(it.candidateId)!.demand;
        if (h < 0 || h >= demand.length) continue;
        const arrived = placed.filter((o) => o.candidateId === it.candidateId && o.arrivalWeek <= week).reduce((a, o) => a + o.quantity, 0);
        const onHand = it.openingQty + arrived - sold.get(it.candidateId)!;
        const units = Math.min(onHand, demand[h]);
        sold.set(it.candidateId, sold.get(it.candidateId)! + units);
        loopSales.units += units;
        loopSales.lost += demand[h] - units;
        if (demand[h] > onHand) loopSales.stockoutWeeks++;
        await stack.database.sql`insert into sales (sku, region, week, units, price, stockout)
          values (${it.candidateId}, 'west', ${week}, ${units}, ${it.price}, ${demand[h] > onHand})`;
      }
      expect((await call('POST', `/scopes/${SCOPE}/sales-feedback`, { throughWeek: week })).status).toBe(202);
      const s = await until(`the adjust of ${week}`, (x) => x.lastAdjust?.throughWeek === week && x.stage === 'monitoring');
      expect(s.lastAdjust!.earlyReplan).toBe(false);
    }
    const loopOrders = await orders();
    expect(loopOrders.every((o) => o.status === 'published')).toBe(true);

    // The same items, opening quantities and demand in the engine-level closed-loop simulation,
    // with the policy the scope's rules give (service level, case pack, lead time, MOQ, the
    // season-end cap with its MOQ risk margin, the curve's spread scale and the curve update of
    // the adjust stage).
    const sim = simulateClosedLoop(
      items.map((it): SimItem => {
        const { prior, rho, demand } = truth.get(it.candidateId)!;
        const ratio = seasonEndRatio(it.price, it.unitCost, it.salvageValue);
        const params = validateReplenishmentParams({
          leadTimeWeeks: it.leadTimeWeeks,
          reviewWeeks: 1,
          serviceLevel: RULES.serviceLevel,
          weeklyCorrelation: Math.min(1, Math.max(0, rho)),
          moq: it.moq,
          casePack: RULES.casePack,
          distribution: 'lognormal',
          ...(ratio !== undefined ? { seasonEndRatio: ratio } : {}),
          moqBatchHurdle: RULES.moqBatchHurdle,
        });
        return {
          candidateId: it.candidateId,
          launchWeek: weeksBetween(start, it.launchWeek),
          openingQty: it.openingQty,
          openingLeadTimeWeeks: 0,
          price: it.price,
          unitCost: it.unitCost,
          salvageValue: it.salvageValue,
          holdingCostPerWeek: 0,
          forecast: scaleSpread(prior as WeeklyCurve, RULES.curveSpreadScale),
          demand,
          reorder: { kind: 'order-up-to', params, updateCurve: closedLoopCurveUpdate(rho) },
        };
      }),
    );
    // The loop's last batch (week weeks - 1) placed the orders of week `weeks`; the simulation goes on to the season's end.
    const simOrders = sim.orders
      .filter((o) => o.kind === 'reorder' && o.week <= weeks)
      .map((o) => ({ candidateId: o.candidateId, orderWeek: addWeeks(start, o.week), arrivalWeek: addWeeks(start, o.arrivalWeek), quantity: o.qty }))
      .sort((a, b) => a.candidateId.localeCompare(b.candidateId) || a.orderWeek.localeCompare(b.orderWeek));
    expect(loopOrders.map(({ status: _s, ...o }) => o)).toEqual(simOrders);
    // Demand after the played weeks is 0 in the simulation, so its totals are those of the played weeks.
    expect(loopSales).toEqual({ units: sim.kpis.unitsSold, lost: sim.kpis.lostUnits, stockoutWeeks: sim.kpis.stockoutWeeks });

    // The scenario exercised what it is meant to: reorders for more than one item, and sold-out weeks.
    expect(new Set(loopOrders.map((o) => o.candidateId)).size).toBeGreaterThanOrEqual(2);
    expect(loopSales.stockoutWeeks).toBeGreaterThan(0);
    expect(loopSales.lost).toBeGreaterThan(0);
  });
});
