import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { buildColdStartContext } from './features.js';
import { addWeeks } from './history.js';
import { heldOutLaunches } from './backtest.js';
import { likeItemBacktestWape, promotionDecision, resumable, runColdStartTraining, trainingSetup, type ColdStartRule } from './training-run.js';
import type { AttributeSchema, ItemRow, SalesRow } from './types.js';

// TensorFlow.js's default CPU backend: the backend choice is not what these tests are about.
/** 60 items launching over a year and a half: enough launches for a validation split. */
function shop() {
  const r = mulberry32(11);
  const schema: AttributeSchema = { columns: ['category', 'price'], kinds: { category: 'categorical', price: 'numeric' } };
  const items: ItemRow[] = [];
  const sales: SalesRow[] = [];
  for (let i = 0; i < 60; i++) {
    const price = [2, 5, 1][i % 3] * (0.7 + 0.6 * r());
    items.push({ itemId: `I${i}`, attributes: { category: ['MUG', 'BAG', 'CARD'][i % 3], price } });
    const launch = i < 5 ? 0 : 1 + Math.floor(r() * 70);
    for (let w = launch; w < 80; w++) {
      const units = Math.round((20 / price) * Math.exp(-(w - launch) / 8) * (0.5 + r()));
      if (units > 0 || w === launch) sales.push({ itemId: `I${i}`, week: addWeeks('2010-01-04', w), units: Math.max(units, 1) });
    }
  }
  return buildColdStartContext({ sales, items, schema, horizon: 4 });
}

const rule: ColdStartRule = { checkpointEvery: 1, indicators: false, epochs: 2, units: 4, hidden: 8, seed: 5 };

describe('a cold-start training run', () => {
  const context = shop();

  it('asks for only the hyper-parameters the scope rule sets', () => {
    const setup = trainingSetup(context, rule);
    expect(setup.hyper).toEqual({ epochs: 2, units: 4, hidden: 8, seed: 5 });
    expect(setup.checkpointEvery).toBe(1);
    expect(setup.dataset.train.n).toBeGreaterThan(0);
  });

  it('resumes only from a checkpoint made for the same features', async () => {
    const setup = trainingSetup(context, rule);
    const checkpoints: Parameters<typeof resumable>[0][] = [];
    await runColdStartTraining({ context, setup, modelId: 1, champion: async () => undefined, onCheckpoint: async (c) => void checkpoints.push(c) });
    expect(checkpoints.map((c) => c!.epoch)).toEqual([1, 2]);
    expect(resumable(checkpoints[0], setup)).toBe(checkpoints[0]);
    // A promotion added since the checkpoint changes the feature spec: the run starts over.
    const stale = { ...checkpoints[0]!, featureSpec: { ...checkpoints[0]!.featureSpec, horizon: setup.dataset.spec.horizon + 1 } };
    expect(resumable(stale, setup)).toBeUndefined();
  });

  it('promotes a challenger only when it beats like-item and the champion on the same held-out launches', async () => {
    const setup = trainingSetup(context, rule);
    const first = await runColdStartTraining({ context, setup, modelId: 1, champion: async () => undefined });
    expect(first.metrics.championWape).toBeUndefined();
    expect(first.metrics.backtestLaunches).toBeGreaterThan(0);
    // The first model of a scope faces the baseline too.
    expect(Number.isFinite(first.metrics.baselineWape)).toBe(true);
    expect(first.promote).toBe(first.metrics.backtestWape < first.metrics.baselineWape);
    expect(first.decision).toContain(first.promote ? 'promoted' : 'the like-item baseline serves');
    // Same data, same seed: the same model, so no strictly better WAPE and no promotion.
    const second = await runColdStartTraining({ context, setup, modelId: 2, champion: async () => ({ id: 1, model: first.model }) });
    expect(second.metrics.championWape).toBeCloseTo(first.metrics.backtestWape, 10);
    expect(second.metrics.baselineWape).toBeCloseTo(first.metrics.baselineWape, 10);
    expect(second.promote).toBe(false);
    expect(second.decision).toContain('champion #1 keeps serving');
    // A run that finds itself as champion (a retry after promotion) is not compared with itself.
    const retry = await runColdStartTraining({ context, setup, modelId: 1, champion: async () => ({ id: 1, model: first.model }) });
    expect(retry.promote).toBe(first.promote);
  });
});

describe('promotionDecision', () => {
  it('keeps a first model that loses to like-item out, and says the baseline serves', () => {
    const d = promotionDecision({ wape: 1.72, baselineWape: 0.88, launches: 40 });
    expect(d.promote).toBe(false);
    expect(d.decision).toBe("not promoted: WAPE 1.720 does not beat like-item's 0.880 on the same 40 held-out launches; the like-item baseline serves");
  });

  it('keeps the champion serving when the challenger loses to the baseline or to it', () => {
    expect(promotionDecision({ wape: 0.9, baselineWape: 0.8, championWape: 0.7, championId: 3, launches: 20 })).toMatchObject({ promote: false });
    const d = promotionDecision({ wape: 0.75, baselineWape: 0.8, championWape: 0.7, championId: 3, launches: 20 });
    expect(d).toMatchObject({ promote: false });
    expect(d.decision).toContain("champion #3's 0.700");
    expect(d.decision).toContain('champion #3 keeps serving');
  });

  it('promotes a model that beats both; ties do not promote', () => {
    expect(promotionDecision({ wape: 0.6, baselineWape: 0.8, championWape: 0.7, championId: 3, launches: 20 }).promote).toBe(true);
    expect(promotionDecision({ wape: 0.8, baselineWape: 0.8, launches: 20 }).promote).toBe(false);
    // No launch with sales to score the baseline on: only the champion is compared.
    expect(promotionDecision({ wape: 0.8, baselineWape: Number.NaN, launches: 0 }).promote).toBe(true);
  });
});

describe('likeItemBacktestWape', () => {
  it('scores like-item on the held-out launches, each from the launches before it', () => {
    const context = shop();
    const setup = trainingSetup(context, rule);
    const launches = heldOutLaunches(context, setup.dataset.val, setup.dataset.spec.horizon);
    const wape = likeItemBacktestWape(context, launches, setup.dataset.spec.horizon);
    expect(Number.isFinite(wape)).toBe(true);
    expect(wape).toBeGreaterThan(0);
  });
});
