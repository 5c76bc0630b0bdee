import { describe, expect, it } from 'vitest';
import { addWeeks } from '../calendar/index.js';
import { mulberry32 } from '../math/index.js';
import { buildAudiences } from './audience.js';
import { likeItemAudience, orderTimingAudience, popularityAudience } from './baselines.js';
import { rollingCut } from './cuts.js';
import { buildHistory } from './history.js';
import { lambdaWeights, trainingSet } from './training.js';
import { fitLogistic } from './model.js';
import { FEATURE_NAMES, N_FEATURES } from './features.js';
import { DEFAULT_AUDIENCE_OPTIONS } from './audience.js';
import type { AudienceItem, OrderRow } from './types.js';

/**
 * A small shop over 24 weeks: one customer in France buys candles, twenty in the UK buy mugs.
 * A new candle and a new mug come out every other week, and each side buys its own new
 * products within their first weeks, so the launches inside the history teach the model.
 */
function shop() {
  const rand = mulberry32(7);
  const start = '2024-01-01';
  const items: AudienceItem[] = [];
  const orders: OrderRow[] = [];
  const candles: string[] = [];
  const mugs: string[] = [];
  const launch = (w: number) => {
    const c = `${10000 + w}`;
    const m = `${20000 + w}`;
    items.push({ itemId: c, category: 'CANDLE', keyword: 'RED', prefix: '100', price: 1.25 });
    items.push({ itemId: m, category: 'MUG', keyword: 'BLUE', prefix: '200', price: 2.5 });
    candles.push(c);
    mugs.push(m);
  };
  for (let w = 0; w < 4; w++) launch(w);
  for (let w = 0; w < 24; w++) {
    if (w % 2 === 0) launch(100 + w);
    const week = addWeeks(start, w);
    const pick = (list: string[]) => list[list.length - 1 - Math.floor(rand() * Math.min(list.length, 4))];
    // A launch week's new products sell that week (so "first sold" is the launch week).
    const fresh = w % 2 === 0;
    orders.push({ customerId: 'fan', country: 'France', itemId: fresh ? candles[candles.length - 1] : pick(candles), week, units: 6 });
    if (fresh) orders.push({ customerId: 'm01', country: 'United Kingdom', itemId: mugs[mugs.length - 1], week, units: 2 });
    for (let k = 1; k <= 20; k++) {
      if (rand() < 0.7) orders.push({ customerId: `m${String(k).padStart(2, '0')}`, country: 'United Kingdom', itemId: pick(mugs), week, units: 2 });
    }
  }
  return { items, orders, end: addWeeks(start, 24) };
}

describe('buildAudiences', () => {
  const { items, orders, end } = shop();
  const candidates = [
    { itemId: '19999', category: 'CANDLE', keyword: 'RED', prefix: '100', price: 1.25, launchWeek: end },
    { itemId: '29999', category: 'MUG', keyword: 'BLUE', prefix: '200', price: 2.5, launchWeek: end },
  ];
  const result = buildAudiences({ orders, items, candidates, top: 5 });
  const [candle, mug] = result.audiences;

  it('learns from the launches inside the history and ranks the obvious buyer first', () => {
    expect(result.model.trained).toBe(true);
    expect(result.model.queries).toBeGreaterThan(10);
    expect(candle.audience[0].customerId).toBe('fan');
    expect(mug.audience.map((m) => m.customerId)).not.toContain('fan');
    expect(mug.audience).toHaveLength(5);
    // Best first.
    for (const a of result.audiences) for (let r = 1; r < a.audience.length; r++) expect(a.audience[r].score).toBeLessThanOrEqual(a.audience[r - 1].score);
  });

  it('splits expected demand by region and segment', () => {
    const sum = (xs: Array<{ share: number }>) => xs.reduce((s, x) => s + x.share, 0);
    for (const a of result.audiences) {
      expect(sum(a.byRegion)).toBeCloseTo(1, 9);
      expect(sum(a.bySegment)).toBeCloseTo(1, 9);
      expect(a.expectedBuyers).toBeGreaterThan(0);
    }
    expect(candle.byRegion[0].key).toBe('France');
    expect(mug.byRegion[0].key).toBe('United Kingdom');
    expect(result.segments).toHaveLength(21);
  });

  it('is deterministic', () => {
    expect(buildAudiences({ orders, items, candidates, top: 5 }).audiences).toEqual(result.audiences);
  });

  it('unitBlend chooses the top K by logit + unitBlend · log(units per line) and lists them by logit', () => {
    // One mug buyer orders 50 units a line (the others 2, 'fan' 6): a volume customer.
    const bulk = orders.map((o) => (o.customerId === 'm20' ? { ...o, units: 50 } : o));
    const perLine = (id: string) => (id === 'm20' ? 50 : id === 'fan' ? 6 : 2);
    const all = buildAudiences({ orders: bulk, items, candidates, top: 21 }).audiences[1].audience;
    const blended = buildAudiences({ orders: bulk, items, candidates, top: 5, options: { unitBlend: 0.5 } }).audiences[1].audience;
    const byId = (a: { customerId: string }, b: { customerId: string }) => (a.customerId < b.customerId ? -1 : 1);
    const pick = (m: { customerId: string; score: number }) => m.score + 0.5 * Math.log(perLine(m.customerId));
    const want = [...all]
      .sort((a, b) => pick(b) - pick(a) || byId(a, b))
      .slice(0, 5)
      .sort((a, b) => b.score - a.score || byId(a, b));
    // Same members, same order, same scores: the logits of the plain model.
    expect(blended).toEqual(want);
    expect(blended.map((m) => m.customerId)).toContain('m20');
    expect(all.slice(0, 5).map((m) => m.customerId)).not.toContain('m20');
  });

  it('queryNorm 1 gives every training launch a total positive weight of 1', () => {
    const h = buildHistory(orders, items);
    const pooled = trainingSet(h, DEFAULT_AUDIENCE_OPTIONS);
    const normed = trainingSet(h, { ...DEFAULT_AUDIENCE_OPTIONS, queryNorm: 1 });
    let positives = 0;
    let pooledPositives = 0;
    normed.y.forEach((y, r) => (positives += y * normed.w[r]));
    pooled.y.forEach((y, r) => (pooledPositives += y * pooled.w[r]));
    expect(positives).toBeCloseTo(normed.queries, 9);
    // Pooled: every positive pair weighs 1, so the sum is the number of positive pairs.
    expect(pooledPositives).toBe(pooled.y.reduce((s, y) => s + y, 0));
  });

  it('unitSlots keeps the last slots for the most expected units among the rest, listed by score', () => {
    // One mug buyer orders 50 units a line (the others 2, 'fan' 6): a volume customer.
    const bulk = orders.map((o) => (o.customerId === 'm20' ? { ...o, units: 50 } : o));
    const perLine = (id: string) => (id === 'm20' ? 50 : id === 'fan' ? 6 : 2);
    const all = buildAudiences({ orders: bulk, items, candidates, top: 21 }).audiences[1].audience;
    const kept = buildAudiences({ orders: bulk, items, candidates, top: 5, options: { unitSlots: 2 } }).audiences[1].audience;
    const expectedUnits = (m: { customerId: string; score: number }) => perLine(m.customerId) / (1 + Math.exp(-m.score));
    const head = all.slice(0, 3);
    const volume = [...all.slice(3)].sort((a, b) => expectedUnits(b) - expectedUnits(a) || (a.customerId < b.customerId ? -1 : 1)).slice(0, 2);
    const want = [...head, ...volume].sort((a, b) => b.score - a.score || (a.customerId < b.customerId ? -1 : 1));
    expect(kept.map((m) => m.customerId)).toEqual(want.map((m) => m.customerId));
    // Not the plain top 5: the slots changed who is in.
    expect(kept.map((m) => m.customerId)).toContain('m20');
    expect(all.slice(0, 5).map((m) => m.customerId)).not.toContain('m20');
    for (let r = 1; r < kept.length; r++) expect(kept[r].score).toBeLessThanOrEqual(kept[r - 1].score);
  });

  it('pairs compare a buyer of a launch with a non-buyer of the same launch, randomly signed', () => {
    const h = buildHistory(orders, items);
    const set = trainingSet(h, DEFAULT_AUDIENCE_OPTIONS);
    const pointwise = trainingSet(h, { ...DEFAULT_AUDIENCE_OPTIONS, pairsPerPositive: 0 });
    const positives = set.y.reduce((s, y) => s + y, 0);
    expect(set.pairs.y.length).toBe(positives * DEFAULT_AUDIENCE_OPTIONS.pairsPerPositive);
    expect(pointwise.pairs.y.length).toBe(0);
    // The pointwise rows do not depend on whether pairs are drawn (their own random stream).
    expect(pointwise.X).toEqual(set.X);
    const flipped = set.pairs.y.reduce((s, y) => s + (1 - y), 0);
    expect(flipped).toBeGreaterThan(0.3 * set.pairs.y.length);
    expect(flipped).toBeLessThan(0.7 * set.pairs.y.length);
  });

  it('pairLambda weighs pairs by the DCG change of swapping them, averaging 1', () => {
    const h = buildHistory(orders, items);
    const set = trainingSet(h, DEFAULT_AUDIENCE_OPTIONS);
    const pointwise = fitLogistic({ X: set.X, y: set.y, w: set.w, d: N_FEATURES }, FEATURE_NAMES, DEFAULT_AUDIENCE_OPTIONS.l2);
    expect(lambdaWeights(set, pointwise, 0)).toEqual(set.pairs.w);
    const full = lambdaWeights(set, pointwise, 1);
    // queryNorm 0: every pair's base weight is 1, so the normalised weights average 1.
    expect(full.reduce((s, v) => s + v, 0) / full.length).toBeCloseTo(1, 9);
    expect(Math.max(...full)).toBeGreaterThan(1.5);
    const half = lambdaWeights(set, pointwise, 0.5);
    half.forEach((v, p) => expect(v).toBeCloseTo(0.5 + 0.5 * full[p], 9));
  });

  it('pairBlend mixes the pointwise and pairwise logits linearly', () => {
    const run = (pairBlend: number) =>
      new Map(buildAudiences({ orders, items, candidates, top: 21, options: { pairBlend } }).audiences[1].audience.map((m) => [m.customerId, m.score]));
    const [a, b, mid] = [run(0), run(1), run(0.5)];
    const plain = new Map(buildAudiences({ orders, items, candidates, top: 21, options: { pairsPerPositive: 0 } }).audiences[1].audience.map((m) => [m.customerId, m.score]));
    expect(mid.size).toBe(21);
    for (const [id, s] of mid) {
      expect(s).toBeCloseTo((a.get(id)! + b.get(id)!) / 2, 9);
      expect(a.get(id)!).toBeCloseTo(plain.get(id)!, 9);
    }
  });

  it('baselines give every candidate an audience', () => {
    const pop = popularityAudience({ orders, items, candidates, top: 3 });
    expect(pop[0].audience[0].customerId).toBe('fan'); // 6 units a week: the most units
    expect(pop[1].audience).toEqual(pop[0].audience);
    const like = likeItemAudience({ orders, items, candidates, top: 3 });
    expect(like[0].audience[0].customerId).toBe('fan');
    expect(like[1].audience.map((m) => m.customerId)).not.toContain('fan');
  });

  it('order timing ranks by expected order weeks in the launch window', () => {
    const start = '2024-01-01';
    const rows: OrderRow[] = [];
    const buy = (customerId: string, w: number) => rows.push({ customerId, country: 'UK', itemId: '100', week: addWeeks(start, w), units: 1 });
    for (let w = 0; w < 20; w++) buy('steady', w);
    for (let w = 0; w < 20; w += 4) buy('monthly', w);
    buy('once', 10);
    const stock: AudienceItem[] = [{ itemId: '100', category: 'MUG', keyword: 'RED', prefix: '100', price: 2 }];
    const cands = [
      { itemId: '200', category: 'MUG', keyword: 'RED', prefix: '200', price: 2, launchWeek: addWeeks(start, 20) },
      { itemId: '201', category: 'MUG', keyword: 'RED', prefix: '201', price: 2, launchWeek: addWeeks(start, 30) },
    ];
    const out = orderTimingAudience({ orders: rows, items: stock, candidates: cands, top: 3 });
    for (const a of out) {
      expect(a.audience.map((m) => m.customerId)).toEqual(['steady', 'monthly', 'once']);
      expect(a.audience[0].score).toBeGreaterThan(a.audience[1].score);
      // Ordering every week of 20, the steady customer expects about one order week a week.
      expect(a.audience[0].score).toBeGreaterThan(9);
      expect(a.audience[0].score).toBeLessThan(14);
    }
  });
});

describe('rollingCut', () => {
  it('takes products first sold after the cut-off as candidates, with their early buyers as truth', () => {
    const { items, orders } = shop();
    const cut = rollingCut(orders, items, '2024-04-01', 4, 2);
    // Launches at weeks 14 and 16 (2024-04-08, 2024-04-22): one candle and one mug each.
    expect(cut.candidates.map((c) => c.itemId)).toEqual(['10114', '10116', '20114', '20116']);
    expect(cut.orders.every((o) => o.week < '2024-04-01')).toBe(true);
    expect(cut.truth.filter((t) => t.itemId.startsWith('1')).every((t) => t.customerId === 'fan')).toBe(true);
    // Truth only counts the first 2 weeks from each launch.
    const firstWeek = new Map(cut.candidates.map((c) => [c.itemId, c.launchWeek!]));
    for (const t of cut.truth) {
      const bought = orders.filter((o) => o.itemId === t.itemId && o.customerId === t.customerId && o.week < addWeeks(firstWeek.get(t.itemId)!, 2));
      expect(t.units).toBe(bought.reduce((s, o) => s + o.units, 0));
    }
  });
});

describe('a shop where every product has one price', () => {
  it('scores every customer with a finite number (the price spread is 0, the distance must not be 0/0)', () => {
    const start = '2024-01-01';
    const items: AudienceItem[] = [];
    const orders: OrderRow[] = [];
    for (let w = 0; w < 24; w++) {
      const itemId = String(1000 + w);
      items.push({ itemId, category: 'MUG', keyword: 'BLUE', prefix: '100', price: 2 });
      for (let k = 0; k < 6; k++) if ((w + k) % 3 !== 0) orders.push({ customerId: `c${k}`, country: 'UK', itemId, week: addWeeks(start, w), units: 1 + k });
    }
    const end = addWeeks(start, 24);
    const result = buildAudiences({ orders, items, candidates: [{ itemId: '9', category: 'MUG', keyword: 'BLUE', prefix: '100', price: 2, launchWeek: end }], top: 3 });
    const [only] = result.audiences;
    expect(only.audience).toHaveLength(3);
    for (const a of only.audience) expect(Number.isFinite(a.score)).toBe(true);
    expect(Number.isFinite(only.expectedBuyers)).toBe(true);
  });
});
