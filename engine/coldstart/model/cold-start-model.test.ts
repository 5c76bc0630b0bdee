import { beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../../lstm/index.js';
import { selectLstmBackend } from '../../../services/lstm-runtime.js';
import { buildColdStartContext, prepareColdStartDataset, type ColdStartContext } from '../features.js';
import { addWeeks } from '../history.js';
import type { AttributeSchema, CandidateRow, ItemRow, SalesRow } from '../types.js';
import {
  TrainingAbortedError,
  loadModel,
  predictColdStart,
  serializeModel,
  trainColdStartModel,
  type Checkpoint,
  type ColdStartHyper,
} from './index.js';

beforeAll(async () => {
  await selectLstmBackend({ logger: { info: () => undefined } });
});

/** A small deterministic shop: 3 categories, 40 items launching over 30 weeks. */
function tinyShop(): { ctx: ColdStartContext; items: ItemRow[] } {
  const r = rng(7);
  const schema: AttributeSchema = { columns: ['category', 'colour', 'price'], kinds: { category: 'categorical', colour: 'categorical', price: 'numeric' } };
  const items: ItemRow[] = [];
  const sales: SalesRow[] = [];
  const start = '2010-01-04';
  for (let i = 0; i < 40; i++) {
    const cat = ['MUG', 'BAG', 'CARD'][i % 3];
    const price = [2, 5, 1][i % 3] * (0.7 + 0.6 * r());
    items.push({ itemId: `I${i}`, attributes: { category: cat, colour: ['RED', 'BLUE'][i % 2], price } });
    const launch = i < 5 ? 0 : 1 + Math.floor(r() * 28);
    for (let w = launch; w < 30; w++) {
      const age = w - launch;
      const units = Math.round((20 / price) * Math.exp(-age / 8) * (0.5 + r()));
      if (units > 0 || w === launch) sales.push({ itemId: `I${i}`, week: addWeeks(start, w), units: Math.max(units, 1) });
    }
  }
  return { ctx: buildColdStartContext({ sales, items, schema, horizon: 4 }), items };
}

const HYPER: Partial<ColdStartHyper> = { units: 4, hidden: 8, epochs: 4, batchSize: 8, patience: 100, seed: 3 };

describe('cold-start model training API', () => {
  const { ctx } = tinyShop();
  const dataset = prepareColdStartDataset(ctx, { window: 4 });

  it('resumes from a checkpoint at epoch + 1 and ends with the same weights as an uninterrupted run', async () => {
    const checkpoints: Checkpoint[] = [];
    const full = await trainColdStartModel({ dataset, hyper: HYPER, onCheckpoint: async (c) => void checkpoints.push(JSON.parse(JSON.stringify(c)) as Checkpoint) });
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
    const epochsSeen: number[] = [];
    const resumed = await trainColdStartModel({ dataset, resumeFrom: checkpoints[1], onEpoch: (p) => void epochsSeen.push(p.epoch) });
    expect(epochsSeen).toEqual([3, 4]);
    for (const k of Object.keys(full.weights)) expect(Array.from(resumed.weights[k].data)).toEqual(Array.from(full.weights[k].data));
  });

  it('stops at a batch boundary when the signal aborts, with a recognisable error', async () => {
    const ac = new AbortController();
    const epochs: number[] = [];
    // The trainer yields to the event loop after every batch; abort after the first one.
    setImmediate(() => ac.abort());
    const err = await trainColdStartModel({ dataset, hyper: HYPER, signal: ac.signal, onEpoch: (p) => void epochs.push(p.epoch) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingAbortedError);
    expect((err as TrainingAbortedError).code).toBe('coldstart.training_aborted');
    expect(epochs).toEqual([]);
  });

  it('forecasts a candidate with unseen attribute values (finite, sorted quantiles), and survives serialisation', async () => {
    const model = await trainColdStartModel({ dataset, hyper: { ...HYPER, epochs: 2 } });
    const cands: CandidateRow[] = [
      { itemId: 'NEW', attributes: { category: 'LAMP', colour: 'OCHRE', price: 99 }, launchWeek: addWeeks(ctx.history.start, 32) },
      { itemId: 'MUGGY', attributes: { category: 'MUG', colour: 'RED', price: Number.NaN }, launchWeek: addWeeks(ctx.history.start, 30) },
    ];
    const fc = predictColdStart(model, cands, ctx);
    expect(fc).toHaveLength(8);
    for (const r of fc) {
      for (const v of [r.mean, r.p10, r.p90]) expect(Number.isFinite(v)).toBe(true);
      expect(r.p10).toBeLessThanOrEqual(r.p90);
      expect(r.p10).toBeGreaterThanOrEqual(0);
    }
    expect(fc.filter((r) => r.itemId === 'NEW').map((r) => r.step)).toEqual([1, 2, 3, 4]);
    const again = predictColdStart(loadModel(serializeModel(model)), cands, ctx);
    expect(again).toEqual(fc);
  });

  it('gives a point forecast at one common quantile level between p50 and the top quantile', async () => {
    const model = await trainColdStartModel({ dataset, hyper: { ...HYPER, epochs: 2 } });
    const tau = model.info.pointLevel!;
    expect(tau).toBeGreaterThanOrEqual(0.5);
    expect(tau).toBeLessThanOrEqual(0.9);
    const fc = predictColdStart(model, [{ itemId: 'C', attributes: { category: 'MUG', colour: 'RED', price: 2 }, launchWeek: addWeeks(ctx.history.start, 31) }], ctx);
    for (const r of fc) {
      expect(r.point).toBeGreaterThanOrEqual(r.p50! - 1e-9);
      expect(Number.isFinite(r.point)).toBe(true);
    }
  });

  it('leaves no tensors behind after training, resuming and predicting (a GPU worker runs many)', async () => {
    const tf = await import('@tensorflow/tfjs');
    const before = tf.memory().numTensors;
    const checkpoints: Checkpoint[] = [];
    const model = await trainColdStartModel({ dataset, hyper: { ...HYPER, epochs: 2 }, onCheckpoint: async (c) => void checkpoints.push(c) });
    await trainColdStartModel({ dataset, resumeFrom: checkpoints[0] });
    predictColdStart(model, [{ itemId: 'C', attributes: { category: 'MUG', colour: 'RED', price: 2 }, launchWeek: addWeeks(ctx.history.start, 31) }], ctx);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('weights the loss by scale relative to the mean scale of observed target weeks only', async () => {
    const { meanTargetScale } = await import('./index.js');
    const s = { ...dataset.train, scale: new Float32Array([2, 4, 100]), mask: new Float32Array([1, 1, 0]) };
    expect(meanTargetScale(s)).toBe(3);
    expect(meanTargetScale({ ...s, mask: new Float32Array(3) })).toBe(1);
  });

  it('learns a promotion from the calendar: the same candidate sells more in a promoted week', async () => {
    // 60 launches over 40 weeks; a MUG promotion in every 4th week triples MUG sales that week.
    const r = rng(11);
    const schema: AttributeSchema = { columns: ['category', 'price'], kinds: { category: 'categorical', price: 'numeric' } };
    const start = '2010-01-04';
    const promoWeek = (w: number) => w % 4 === 2;
    const covariates = Array.from({ length: 44 }, (_, w) => w)
      .filter(promoWeek)
      .map((w) => ({ week: addWeeks(start, w), name: 'discount', value: 0.3, match: { category: 'MUG' } }));
    const items: ItemRow[] = [];
    const sales: SalesRow[] = [];
    for (let i = 0; i < 60; i++) {
      const cat = i % 2 ? 'MUG' : 'BAG';
      items.push({ itemId: `P${i}`, attributes: { category: cat, price: 2 } });
      const launch = i < 4 ? 0 : 4 + Math.floor(r() * 30);
      for (let w = launch; w < 40; w++) {
        const lift = cat === 'MUG' && promoWeek(w) ? 3 : 1;
        sales.push({ itemId: `P${i}`, week: addWeeks(start, w), units: Math.round(20 * lift * (0.8 + 0.4 * r())) });
      }
    }
    const withCal = buildColdStartContext({ sales, items, schema, horizon: 4, covariates });
    const data = prepareColdStartDataset(withCal, { window: 4 });
    expect(data.spec.covariates?.map((c) => c.name)).toEqual(['discount']);
    const model = await trainColdStartModel({ dataset: data, hyper: { units: 4, hidden: 8, epochs: 40, batchSize: 8, patience: 100, seed: 5, learningRate: 0.01 } });
    // Launch in week 41: step 2 (week 42) is a promoted week in this calendar.
    const cand: CandidateRow = { itemId: 'NEWMUG', attributes: { category: 'MUG', price: 2 }, launchWeek: addWeeks(start, 41) };
    const promoted = predictColdStart(model, [cand], withCal);
    const noCal = buildColdStartContext({ sales, items, schema, horizon: 4 });
    const plain = predictColdStart(model, [cand], noCal);
    expect(promoted[1].mean / plain[1].mean).toBeGreaterThan(1.8);
    // Steps without a promotion barely move.
    expect(Math.abs(promoted[0].mean / plain[0].mean - 1)).toBeLessThan(0.35);
    // A model trained without covariates ignores a calendar it never saw.
    const old = await trainColdStartModel({ dataset: prepareColdStartDataset(noCal, { window: 4 }), hyper: { ...HYPER, epochs: 1 } });
    expect(predictColdStart(old, [cand], withCal)).toEqual(predictColdStart(old, [cand], noCal));
  });
});
