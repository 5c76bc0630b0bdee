import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import type { AdjustSummary } from '../contracts/workflows.js';
import type { PurchaseOrder } from '../db/schema.js';
import type { NewPurchaseOrder } from '../db/repositories/purchase-orders.repository.js';
import type { UpdatedCurveRow } from '../db/repositories/adjust-inputs.repository.js';
import { addWeeks } from '../engine/calendar/index.js';
import { DEFAULT_POLICY_CONFIG } from '../engine/simulation/index.js';
import { scopeRulesSchema } from '../contracts/scope-rules.js';
import { createAdjustActivities, type AdjustActivityDeps } from './adjust.activities.js';

// adjustLaunchedItems on MockActivityEnvironment with in-memory repositories: no Postgres.

const SCOPE = 'phones/east';
const LAUNCH = '2027-01-04';
const item = (id: string, over: Partial<Awaited<ReturnType<AdjustActivityDeps['inputs']['launchedItems']>>[number]> = {}) => ({
  id,
  category: 'phones',
  price: 100,
  unitCost: 50,
  salvageValue: 20,
  moq: 0,
  leadTimeWeeks: 1,
  committedQty: 30,
  launchedWeek: LAUNCH,
  ...over,
});
// A flat 13-week curve of 10 a week, 80% interval ±4.
const flat = (candidateId: string) => ({
  candidateId,
  setId: 3,
  errorCorrelation: 0.8,
  steps: Array.from({ length: 13 }, (_, i) => i + 1),
  mean: new Array(13).fill(10),
  lo80: new Array(13).fill(6),
  hi80: new Array(13).fill(14),
});

function fakes(o: { items: ReturnType<typeof item>[]; weekly: Record<string, number[]>; stockout?: Record<string, boolean[]>; rules?: Record<string, unknown> }) {
  const stored: PurchaseOrder[] = [];
  const curveSets = new Map<string, { setId: number; curves: UpdatedCurveRow[] }>();
  let marked = 0;
  const deps: AdjustActivityDeps = {
    scopes: { get: async (id) => (id === SCOPE ? { id, region: 'east', categories: ['phones'], rules: o.rules ?? {} } : undefined) },
    scopeData: { markLaunchedCandidates: async () => void marked++ },
    plans: { latestPublished: async () => 9 },
    inputs: {
      launchedItems: async () => o.items,
      launchCurves: async (_s, ids) => ids.map(flat),
      // The signal of each item's latest stored curve before the order week.
      previousSignals: async (_s, ids, before) =>
        ids.flatMap((id) => {
          const last = [...curveSets.entries()].filter(([run]) => addWeeks(run.split('/adjust/')[1], 1) < before).map(([, set]) => set.curves.find((c) => c.candidateId === id)).filter((c) => c !== undefined).at(-1);
          return last ? [{ candidateId: id, signal: last.params.trackingSignal as number }] : [];
        }),
      sales: async (_r, ids, through) =>
        ids.flatMap((sku) => (o.weekly[sku] ?? []).map((units, h) => ({ sku, week: addWeeks(LAUNCH, h), units, stockout: o.stockout?.[sku]?.[h] ?? false }))).filter((s) => s.week <= through),
      storeUpdatedCurves: async (input) => {
        const hit = curveSets.get(input.runId);
        if (hit) return { setId: hit.setId, created: false };
        curveSets.set(input.runId, { setId: curveSets.size + 100, curves: input.curves });
        return { setId: curveSets.size + 99, created: true };
      },
    },
    orders: {
      // The unique (item, order week) index: an order already there stands.
      propose: async (rows: NewPurchaseOrder[]) => {
        let created = 0;
        for (const r of rows)
          if (!stored.some((s) => s.candidateId === r.candidateId && s.orderWeek === r.orderWeek)) {
            stored.push({ ...r, id: stored.length + 1, decidedBy: null, decisionNote: null, decidedAt: null, createdAt: 'now' });
            created++;
          }
        return { orders: stored.filter((s) => rows.some((r) => r.candidateId === s.candidateId && r.orderWeek === s.orderWeek)), created };
      },
      openForItems: async (ids) => stored.filter((s) => ids.includes(s.candidateId)),
    },
  };
  return { deps, stored, curveSets, marked: () => marked };
}

const env = () => new MockActivityEnvironment();
type Adjust = ReturnType<typeof createAdjustActivities>['adjustLaunchedItems'];
// MockActivityEnvironment.run does not infer the result type through the function it is given.
const run = (fn: Adjust, input: Parameters<Adjust>[0]) => env().run(fn, input) as Promise<AdjustSummary>;

describe('adjustLaunchedItems', () => {
  it('updates the curve of an item selling twice its forecast, reorders on it and calls for an early replan past the tracking limit', async () => {
    const f = fakes({ items: [item('hot'), item('calm')], weekly: { hot: [20, 21, 19, 22, 20, 20], calm: [10, 9, 11, 10, 12, 8] } });
    const { adjustLaunchedItems } = createAdjustActivities(f.deps);
    const through = addWeeks(LAUNCH, 5);
    const s = await run(adjustLaunchedItems, { scopeId: SCOPE, throughWeek: through, runId: 'loop/phones/east' });

    expect(f.marked()).toBe(1);
    expect(s).toMatchObject({ throughWeek: through, orderWeek: addWeeks(through, 1), launchedItems: 2, curvesUpdated: 2, maxTrackingSignalItem: 'hot', earlyReplan: true });
    // Six weeks above the curve every week: the signal is 6, beyond the default limit 4.
    expect(s.maxTrackingSignal).toBeCloseTo(6, 9);
    expect(s.earlyReplanReason).toMatch(/hot \+6\.0: curve too low/);
    expect(s.earlyReplanReason).not.toMatch(/calm/);

    const hot = f.curveSets.get(`loop/phones/east/adjust/${through}`)!.curves.find((c) => c.candidateId === 'hot')!;
    expect(hot.params).toMatchObject({ observedWeeks: 6, priorSetId: 3 });
    // Shrunk toward the curve: six weeks at 2× move a confident curve (±4 on 10) part of the way.
    expect(hot.params.level as number).toBeGreaterThan(1.2);
    expect(hot.params.level as number).toBeLessThan(2);
    expect(hot.points).toHaveLength(13);
    expect(hot.points[6].mean).toBeGreaterThan(12);

    // Stock: 30 opened − 122 sold → 0 on hand, so the hot item reorders (S covers lead time 1 + review 1 at ~2× the curve).
    const order = f.stored.find((o) => o.candidateId === 'hot')!;
    expect(order).toMatchObject({ scopeId: SCOPE, planId: 9, orderWeek: addWeeks(through, 1), arrivalWeek: addWeeks(through, 2), status: 'published' });
    expect(order.quantity).toBeGreaterThan(30);
    expect(order.rationale.join(' ')).toMatch(/after 6 weeks of sales/);
    expect(s.reordersProposed).toBe(f.stored.length);
    expect(s.reordersCreated).toBe(f.stored.length);
  });

  it('changes nothing when the same batch is adjusted again', async () => {
    const f = fakes({ items: [item('hot')], weekly: { hot: [20, 21, 19] } });
    const { adjustLaunchedItems } = createAdjustActivities(f.deps);
    const input = { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 2), runId: 'loop/phones/east' };
    const first = await run(adjustLaunchedItems, input);
    const before = structuredClone(f.stored);
    const second = await run(adjustLaunchedItems, input);
    expect(f.stored).toEqual(before);
    expect(first.reordersCreated).toBe(1);
    expect(second).toEqual({ ...first, reordersCreated: 0 });
  });

  it('alarms once when a signal crosses the limit, not again at the next batch while it stays beyond', async () => {
    const f = fakes({ items: [item('hot')], weekly: { hot: [20, 21, 19, 22, 20, 20, 21] } });
    const { adjustLaunchedItems } = createAdjustActivities(f.deps);
    const first = await run(adjustLaunchedItems, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 5), runId: 'r' });
    const next = await run(adjustLaunchedItems, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 6), runId: 'r' });
    expect(first).toMatchObject({ earlyReplan: true });
    expect(next.maxTrackingSignal).toBeCloseTo(7, 9);
    expect(next.earlyReplan).toBe(false);
  });

  it('leaves out an item whose season ended before the batch', async () => {
    const f = fakes({ items: [item('old', { launchedWeek: addWeeks(LAUNCH, -20) })], weekly: {} });
    const s = await run(createAdjustActivities(f.deps).adjustLaunchedItems, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 2), runId: 'r' });
    expect(s).toMatchObject({ launchedItems: 1, curvesUpdated: 0, reordersProposed: 0, earlyReplan: false });
  });

  it('sends an order above the approval limit (value at cost) for approval', async () => {
    const f = fakes({ items: [item('hot')], weekly: { hot: [20, 21, 19] }, rules: { reorderApprovalLimit: 100 } });
    const s = await run(createAdjustActivities(f.deps).adjustLaunchedItems, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 2), runId: 'r' });
    expect(f.stored.map((o) => o.status)).toEqual(['pending']);
    expect(s.reordersPending).toBe(1);
  });

  it('reads a sold-out week as demand of at least its sales: low sales there do not pull the curve down as the same sales uncensored do', async () => {
    const level = async (stockout: boolean[]) => {
      const f = fakes({ items: [item('x')], weekly: { x: [10, 4, 4] }, stockout: { x: stockout } });
      await run(createAdjustActivities(f.deps).adjustLaunchedItems, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 2), runId: 'r' });
      return [...f.curveSets.values()][0].curves[0].params.level as number;
    };
    expect(await level([false, true, true])).toBeGreaterThan(await level([false, false, false]));
  });

  it('counts an order placed before the review as on order, so the next review orders less than without it', async () => {
    const weekly = { hot: [20, 21, 19, 20] };
    const withEarlier = fakes({ items: [item('hot', { leadTimeWeeks: 3 })], weekly });
    const a = createAdjustActivities(withEarlier.deps).adjustLaunchedItems;
    await run(a, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 2), runId: 'r' });
    expect(withEarlier.stored).toHaveLength(1);
    await run(a, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 3), runId: 'r' });
    const next = withEarlier.stored.find((o) => o.orderWeek === addWeeks(LAUNCH, 4))?.quantity ?? 0;

    const alone = fakes({ items: [item('hot', { leadTimeWeeks: 3 })], weekly });
    await run(createAdjustActivities(alone.deps).adjustLaunchedItems, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 3), runId: 'r' });
    expect(alone.stored[0].quantity).toBeGreaterThan(next + withEarlier.stored[0].quantity / 2);
  });

  it("reorders with the scope's replenishment rules: case packs, service level, review period and lead time", async () => {
    const order = async (replenishment: Record<string, unknown>) => {
      const f = fakes({ items: [item('hot')], weekly: { hot: [20, 21, 19] }, rules: { replenishment } });
      const s = await run(createAdjustActivities(f.deps).adjustLaunchedItems, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 2), runId: 'r' });
      return { qty: f.stored[0]?.quantity ?? 0, arrival: f.stored[0]?.arrivalWeek, rationale: f.stored[0]?.rationale.join(' ') ?? '', s };
    };
    const base = await order({});
    expect(base.qty).toBeGreaterThan(0);
    expect(base.rationale).toMatch(/1 week lead time \+ 1 week review at 80% service/);
    const packs = await order({ casePack: 12 });
    expect(packs.qty % 12).toBe(0);
    expect(packs.rationale).toMatch(/rounded up to whole case packs of 12/);
    expect(packs.qty).toBeGreaterThanOrEqual(base.qty);
    const safer = await order({ serviceLevel: 0.95 });
    expect(safer.qty).toBeGreaterThan(base.qty);
    expect(safer.rationale).toMatch(/at 95% service/);
    // A longer lead time for every item: the order arrives later and covers more weeks.
    const slow = await order({ leadTimeWeeks: 3 });
    expect(slow.arrival).toBe(addWeeks(LAUNCH, 6));
    expect(slow.qty).toBeGreaterThan(base.qty);
    // Review every 2 weeks: week 3 after launch is no review week, so nothing is ordered.
    expect((await order({ reviewPeriodWeeks: 2 })).qty).toBe(0);
    expect((await order({ reviewPeriodWeeks: 3 })).qty).toBeGreaterThan(base.qty);
  });

  it('refuses replenishment rules out of bounds, naming the field', async () => {
    const f = fakes({ items: [item('hot')], weekly: { hot: [20] }, rules: { replenishment: { serviceLevel: 1.2 } } });
    await expect(run(createAdjustActivities(f.deps).adjustLaunchedItems, { scopeId: SCOPE, throughWeek: LAUNCH, runId: 'r' })).rejects.toMatchObject({
      type: 'InvalidScopeData',
      message: expect.stringMatching(/replenishment\.serviceLevel/),
    });
  });

  it('leaves out items launched after the batch and items without a launch curve; refuses a week that is not a Monday', async () => {
    const f = fakes({ items: [item('later', { launchedWeek: addWeeks(LAUNCH, 10) })], weekly: {} });
    const s = await run(createAdjustActivities(f.deps).adjustLaunchedItems, { scopeId: SCOPE, throughWeek: addWeeks(LAUNCH, 2), runId: 'r' });
    expect(s).toMatchObject({ launchedItems: 0, curvesUpdated: 0, curveSetId: null, reordersProposed: 0, earlyReplan: false, maxTrackingSignalItem: null });
    await expect(run(createAdjustActivities(f.deps).adjustLaunchedItems, { scopeId: SCOPE, throughWeek: '2027-01-05', runId: 'r' })).rejects.toMatchObject({ type: 'InvalidScopeData' });
  });
});

describe('replenishment scope rules', () => {
  it("default to the closed-loop simulation's policy", () => {
    const { replenishment } = scopeRulesSchema.parse({});
    expect(replenishment).toEqual({
      serviceLevel: DEFAULT_POLICY_CONFIG.serviceLevel,
      openingServiceLevel: DEFAULT_POLICY_CONFIG.openingServiceLevel,
      curveSpreadScale: DEFAULT_POLICY_CONFIG.sdScale,
      moqBatchHurdle: DEFAULT_POLICY_CONFIG.moqBatchHurdle,
      reviewPeriodWeeks: DEFAULT_POLICY_CONFIG.reviewWeeks,
      casePack: DEFAULT_POLICY_CONFIG.casePack,
      opening: 'coverage',
    });
  });
  it('name the field that is out of bounds', () => {
    const issues = (r: object) => {
      const p = scopeRulesSchema.safeParse({ replenishment: r });
      return p.success ? [] : p.error.issues.map((i) => i.path.join('.'));
    };
    expect(issues({ serviceLevel: 0.4 })).toEqual(['replenishment.serviceLevel']);
    expect(issues({ serviceLevel: 0.9995 })).toEqual(['replenishment.serviceLevel']);
    expect(issues({ reviewPeriodWeeks: 0 })).toEqual(['replenishment.reviewPeriodWeeks']);
    expect(issues({ reviewPeriodWeeks: 1.5 })).toEqual(['replenishment.reviewPeriodWeeks']);
    expect(issues({ casePack: 0 })).toEqual(['replenishment.casePack']);
    expect(issues({ leadTimeWeeks: -1 })).toEqual(['replenishment.leadTimeWeeks']);
    expect(issues({ opening: 'all' })).toEqual(['replenishment.opening']);
    expect(issues({ servicelevel: 0.9 })).toEqual(['replenishment']);
    expect(issues({ serviceLevel: 0.999, reviewPeriodWeeks: 2, casePack: 6, leadTimeWeeks: 0, opening: 'lead-time-and-review' })).toEqual([]);
  });
});
