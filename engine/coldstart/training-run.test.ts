import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { buildColdStartContext } from './features.js';
import { addWeeks } from './history.js';
import { resumable, runColdStartTraining, trainingSetup, type ColdStartRule } from './training-run.js';
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

  it('promotes a challenger only when it beats the champion on the same held-out launches', async () => {
    const setup = trainingSetup(context, rule);
    const first = await runColdStartTraining({ context, setup, modelId: 1, champion: async () => undefined });
    expect(first.promote).toBe(true);
    expect(first.metrics.championWape).toBeUndefined();
    expect(first.metrics.backtestLaunches).toBeGreaterThan(0);
    // Same data, same seed: the same model, so no strictly better WAPE and no promotion.
    const second = await runColdStartTraining({ context, setup, modelId: 2, champion: async () => ({ id: 1, model: first.model }) });
    expect(second.metrics.championWape).toBeCloseTo(first.metrics.backtestWape, 10);
    expect(second.promote).toBe(false);
    // A run that finds itself as champion (a retry after promotion) is not compared with itself.
    const retry = await runColdStartTraining({ context, setup, modelId: 1, champion: async () => ({ id: 1, model: first.model }) });
    expect(retry.promote).toBe(true);
  });
});
