import { describe, expect, it } from 'vitest';
import { CovariateTable, indicatorCovariates, promotionCovariates } from './covariates.js';
import { buildColdStartContext, prepareColdStartDataset } from './features.js';
import { addWeeks } from './history.js';
import type { AttributeSchema, ItemRow, SalesRow } from './types.js';

const start = '2024-01-01';
const w = (k: number) => addWeeks(start, k);

describe('known-ahead covariates', () => {
  it('reads an event as its value in matching weeks and 0 elsewhere, the deeper of two overlapping rows', () => {
    const t = new CovariateTable(
      [
        { week: w(3), name: 'discount', value: 0.1 },
        { week: w(3), name: 'discount', value: 0.3, match: { category: 'MUG' } },
        { week: w(4), name: 'discount', value: 0.2, match: { category: 'MUG', region: 'east' } },
      ],
      start,
    );
    expect(t.fill('discount')).toBe('zero');
    expect(t.value('discount', { category: 'MUG' }, 3)).toBe(0.3);
    expect(t.value('discount', { category: 'BAG' }, 3)).toBe(0.1);
    expect(t.value('discount', { category: 'MUG', region: 'east' }, 4)).toBe(0.2);
    expect(t.value('discount', { category: 'MUG', region: 'west' }, 4)).toBe(0);
    // Planned ahead: an event's own week counts even past the as-of week.
    expect(t.value('discount', { category: 'MUG' }, 3, 1)).toBe(0.3);
    expect(t.value('discount', { category: 'MUG' }, 30)).toBe(0);
    expect(t.value('unknown', { category: 'MUG' }, 3)).toBe(0);
  });

  it('carries an indicator forward from its last publication at or before the as-of week, lagged or monthly', () => {
    // Monthly, and nothing published after week 8.
    const rows = indicatorCovariates([0, 4, 8].map((k) => ({ name: 'confidence', week: w(k), value: 100 + k })));
    const t = new CovariateTable(rows, start);
    expect(t.names).toEqual(['indicator:confidence']);
    expect(t.fill('indicator:confidence')).toBe('last');
    expect([1, 4, 6, 25].map((k) => t.value('indicator:confidence', {}, k))).toEqual([100, 104, 104, 108]);
    // Known through week 5 only: week 9's value is not visible yet.
    expect(t.value('indicator:confidence', {}, 9, 5)).toBe(104);
    // Before the first publication: the first value.
    const late = new CovariateTable(indicatorCovariates([{ name: 'x', week: w(3), value: 7 }]), start);
    expect(late.value('indicator:x', {}, 0)).toBe(7);
  });

  it('feeds a series to the model as momentum at the as-of week: last known value vs its mean over the weeks before', () => {
    const flat = new CovariateTable(indicatorCovariates(Array.from({ length: 40 }, (_, k) => ({ name: 'f', week: w(k), value: 50 }))), start);
    expect(flat.reading('indicator:f', {}, 35, 30)).toBe(0);
    // Rising 1 a week: at as-of week 30 the last value is 30 and weeks 4..29 average 16.5.
    const rising = new CovariateTable(indicatorCovariates(Array.from({ length: 40 }, (_, k) => ({ name: 'r', week: w(k), value: k }))), start);
    expect(rising.reading('indicator:r', {}, 35, 30)).toBeCloseTo(30 / 16.5 - 1, 10);
    // Every step of a launch reads the same as-of momentum; an event reads its own week.
    expect(rising.reading('indicator:r', {}, 31, 30)).toBe(rising.reading('indicator:r', {}, 39, 30));
    const ev = new CovariateTable([{ week: w(33), name: 'discount', value: 0.2 }], start);
    expect([ev.reading('discount', {}, 33, 30), ev.reading('discount', {}, 34, 30)]).toEqual([0.2, 0]);
  });

  it('carries a per-region series forward within its region', () => {
    const t = new CovariateTable(
      [
        { week: w(1), name: 'indicator:traffic', value: 10, match: { region: 'east' } },
        { week: w(2), name: 'indicator:traffic', value: 20, match: { region: 'west' } },
      ],
      start,
    );
    expect(t.value('indicator:traffic', { region: 'east' }, 5)).toBe(10);
    expect(t.value('indicator:traffic', { region: 'west' }, 5)).toBe(20);
  });

  it('matches a numeric attribute by value, not by its text', () => {
    const t = new CovariateTable([{ week: w(1), name: 'flag', value: 1, match: { store: '01', price: '1.50' } }], start);
    expect(t.value('flag', { store: 1, price: 1.5 }, 1)).toBe(1);
    expect(t.value('flag', { store: 2, price: 1.5 }, 1)).toBe(0);
  });

  it('turns promotions and festivals into weekly discount and festival rows', () => {
    const rows = promotionCovariates(
      [
        { category: 'MUG', region: 'east', startWeek: w(2), endWeek: w(3), discount: 0.2, kind: 'promotion' },
        { category: null, startWeek: w(5), endWeek: w(5), discount: 0, kind: 'festival' },
      ],
      { matchRegion: 'region' },
    );
    expect(rows).toEqual([
      { week: w(2), name: 'discount', value: 0.2, match: { category: 'MUG', region: 'east' } },
      { week: w(3), name: 'discount', value: 0.2, match: { category: 'MUG', region: 'east' } },
      { week: w(5), name: 'festival', value: 1, match: {} },
    ]);
    expect(() => promotionCovariates([{ startWeek: w(3), endWeek: w(2), discount: 0.1 }])).toThrow(/ends before it starts/);
  });

  it('names the row of a non-Monday week or a non-finite value', () => {
    expect(() => new CovariateTable([{ week: '2024-01-03', name: 'x', value: 1 }], start)).toThrow(/row 1 \(x\): week 2024-01-03 is not a Monday/);
    expect(() => new CovariateTable([{ week: w(1), name: 'x', value: 1 }, { week: w(2), name: 'x', value: Number.NaN }], start)).toThrow(/row 2 .*not a finite number/);
    expect(() => new CovariateTable([{ week: w(1), name: ' ', value: 1 }], start)).toThrow(/name is empty/);
  });
});

describe('covariates as model inputs', () => {
  const schema: AttributeSchema = { columns: ['category'], kinds: { category: 'categorical' } };
  const items: ItemRow[] = [];
  const sales: SalesRow[] = [];
  for (let i = 0; i < 12; i++) {
    items.push({ itemId: `I${i}`, attributes: { category: i % 2 ? 'MUG' : 'BAG' } });
    const launch = i < 3 ? 0 : 4 + 2 * i;
    for (let k = launch; k < 40; k++) sales.push({ itemId: `I${i}`, week: w(k), units: 5 });
  }
  // A weekly indicator equal to its week index; MUG promotions of 0.1 and 0.4 in weeks 10 and 20.
  const covariates = [
    ...indicatorCovariates(Array.from({ length: 40 }, (_, k) => ({ name: 'idx', week: w(k), value: k }))),
    { week: w(10), name: 'discount', value: 0.1, match: { category: 'MUG' } },
    { week: w(20), name: 'discount', value: 0.4, match: { category: 'MUG' } },
  ];
  const ctx = buildColdStartContext({ sales, items, schema, horizon: 4, covariates });
  const d = prepareColdStartDataset(ctx, { window: 2, valFraction: 0.25 });

  it('lays out [launch, step, covariate], reading an indicator as known at the launch and events in their own week', () => {
    const spec = d.spec.covariates!;
    expect(spec.map((c) => [c.name, c.fill])).toEqual([
      ['discount', 'zero'],
      ['indicator:idx', 'last'],
    ]);
    // Events keep 0 as "none" and are scaled by their mean non-zero size.
    expect(spec[0].mean).toBe(0);
    const idx = spec[1];
    const all = [d.train, d.val];
    for (const s of all)
      for (let k = 0; k < s.n; k++) {
        const t = s.week[k];
        const mug = items.find((i) => i.itemId === s.itemIds[k])!.attributes.category === 'MUG';
        for (let st = 0; st < 4; st++) {
          const o = (k * 4 + st) * 2;
          // The indicator at every step is its momentum at the launch week (value t vs the mean of
          // weeks t-26..t-1, 0 before the first publication): no step sees a later publication.
          let sum = 0;
          for (let j = 1; j <= 26; j++) sum += Math.max(0, t - j);
          expect(s.cov[o + 1]).toBeCloseTo((t / (sum / 26) - 1 - idx.mean) / idx.std, 4);
          const disc = mug && t + st === 10 ? 0.1 : mug && t + st === 20 ? 0.4 : 0;
          expect(s.cov[o]).toBeCloseTo(disc / spec[0].std, 5);
        }
      }
  });
});
