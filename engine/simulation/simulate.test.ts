import { describe, expect, it } from 'vitest';
import { validateReplenishmentParams, type WeeklyCurve } from '../replenishment/index.js';
import { simulateClosedLoop, type SimItem } from './index.js';

const flat = (v: number, n: number) => new Array<number>(n).fill(v);

// Item A: launched in week 0 with 10 units and no reorders; 4 units of demand a week.
const itemA: SimItem = {
  candidateId: 'A',
  launchWeek: 0,
  openingQty: 10,
  openingLeadTimeWeeks: 0,
  price: 10,
  unitCost: 6,
  salvageValue: 2,
  holdingCostPerWeek: 0.5,
  forecast: { mean: flat(4, 6), sd: flat(0, 6) },
  demand: flat(4, 6),
  reorder: { kind: 'none' },
};

function itemB(updates: { observed: number[]; censored: boolean[] }[]): SimItem {
  // Launched in week 1 with 6 units (ordered 2 weeks before); forecast 2 a week without error,
  // true demand 2, 2, then 6 a week. Order-up-to over L + R = 3 weeks at the median: S = 6.
  return {
    candidateId: 'B',
    launchWeek: 1,
    openingQty: 6,
    openingLeadTimeWeeks: 2,
    price: 8,
    unitCost: 5,
    salvageValue: 1,
    holdingCostPerWeek: 0.1,
    forecast: { mean: flat(2, 6), sd: flat(0, 6) },
    demand: [2, 2, 6, 6, 6, 6],
    reorder: {
      kind: 'order-up-to',
      params: validateReplenishmentParams({ leadTimeWeeks: 2, reviewWeeks: 1, serviceLevel: 0.5, weeklyCorrelation: 0, distribution: 'normal' }),
      updateCurve: (prior: WeeklyCurve, observed, censored) => {
        updates.push({ observed: [...observed], censored: [...censored] });
        return prior;
      },
    },
  };
}

describe('closed-loop simulation on a hand-computed 2-item, 6-week truth', () => {
  const updates: { observed: number[]; censored: boolean[] }[] = [];
  const r = simulateClosedLoop([itemA, itemB(updates)]);

  it('sells min(stock, demand) and loses the rest', () => {
    // A sells 4, 4, 2 and runs out in week 2; B sells 2 a week (2 on hand after each arrival).
    expect(r.kpis).toMatchObject({ launches: 2, demandUnits: 24 + 28, unitsSold: 10 + 12, lostUnits: 14 + 16, stockoutWeeks: 4 + 4, inStockWeeks: 3 + 6, itemWeeks: 12 });
    expect(r.kpis.fillRate).toBeCloseTo(22 / 52, 12);
  });

  it('receives each reorder after its lead time and orders nothing that would arrive after the season', () => {
    // Reviews at B's weeks 1, 2, 3 order S - position = 2 each (arriving at weeks 3, 4, 5); at
    // weeks 4 and 5 an order would arrive at 6 or 7, after B's 6-week season.
    expect(r.orders).toEqual([
      { candidateId: 'A', kind: 'opening', week: 0, arrivalWeek: 0, qty: 10 },
      { candidateId: 'B', kind: 'opening', week: -1, arrivalWeek: 1, qty: 6 },
      { candidateId: 'B', kind: 'reorder', week: 2, arrivalWeek: 4, qty: 2 },
      { candidateId: 'B', kind: 'reorder', week: 3, arrivalWeek: 5, qty: 2 },
      { candidateId: 'B', kind: 'reorder', week: 4, arrivalWeek: 6, qty: 2 },
    ]);
    expect(r.kpis).toMatchObject({ reorders: 3, reorderUnits: 6, leftoverUnits: 0 });
  });

  it('updates the curve at each review with the weeks sold so far, stock-out weeks censored', () => {
    expect(updates).toEqual([
      { observed: [2], censored: [false] },
      { observed: [2, 2], censored: [false, false] },
      { observed: [2, 2, 2], censored: [false, false, true] },
      { observed: [2, 2, 2, 2], censored: [false, false, true, true] },
      { observed: [2, 2, 2, 2, 2], censored: [false, false, true, true, true] },
    ]);
  });

  it('charges purchase, holding and salvage into the margin', () => {
    // A: revenue 100, purchase 60, holding 0.5 × (6 + 2) = 4 -> 36.
    // B: revenue 96, purchase 12 × 5 = 60, holding 0.1 × (4 + 2) = 0.6 -> 35.4.
    expect(r.kpis.revenue).toBe(196);
    expect(r.kpis.purchaseCost).toBe(120);
    expect(r.kpis.holdingCost).toBeCloseTo(4.6, 12);
    expect(r.kpis.margin).toBeCloseTo(71.4, 12);
  });

  it('measures turnover as cost of goods sold over average stock at cost', () => {
    // Mid-week stock (start + end) / 2. A: 8, 4, 1 units × 6 = 78; B: 5, 3, 1, 1, 1, 1 × 5 = 60.
    // Window: weeks 0..6 (B's season ends in week 6), 7 weeks. COGS 60 + 60.
    expect(r.windowWeeks).toBe(7);
    expect(r.kpis.cogs).toBe(120);
    expect(r.kpis.avgInventoryCost).toBeCloseTo(138 / 7, 12);
    expect(r.kpis.turnover).toBeCloseTo(840 / 138, 12);
    // Week 0: A's 10 units on hand (60) and B's opening in transit (30).
    expect(r.kpis.peakCapital).toBe(90);
  });
});

describe('closed-loop simulation edge cases', () => {
  it('salvages what is left at the season end', () => {
    const r = simulateClosedLoop([{ ...itemA, openingQty: 30 }]);
    // Sells 24, 6 left: salvage 12; holding 0.5 × (26 + 22 + 18 + 14 + 10 + 6) = 48.
    expect(r.kpis).toMatchObject({ unitsSold: 24, leftoverUnits: 6, salvage: 12, holdingCost: 48, stockoutWeeks: 0 });
    expect(r.kpis.margin).toBeCloseTo(240 + 12 - 180 - 48, 12);
  });

  it('receives a zero-lead-time reorder in the week it is placed', () => {
    const r = simulateClosedLoop([
      {
        ...itemA,
        openingQty: 4,
        reorder: { kind: 'order-up-to', params: validateReplenishmentParams({ leadTimeWeeks: 0, reviewWeeks: 1, serviceLevel: 0.5, weeklyCorrelation: 0, distribution: 'normal' }) },
      },
    ]);
    expect(r.kpis).toMatchObject({ unitsSold: 24, lostUnits: 0, reorders: 5, leftoverUnits: 0 });
  });

  it('lets the merchandiser rule reorder only below its trigger', () => {
    const r = simulateClosedLoop([
      { ...itemA, openingQty: 8, reorder: { kind: 'fixed-cover', weeklyForecast: 4, triggerWeeks: 1, coverWeeks: 2, leadTimeWeeks: 1, moq: 0, casePack: 1 } },
    ]);
    // Week 1: 4 on hand, not below 4 -> none; week 2: 0 -> order 8 for week 3; week 3: 0 + 8
    // on order -> none; week 4: 4 on hand -> none; week 5: 0 on hand, an order would arrive at 6.
    expect(r.orders.filter((o) => o.kind === 'reorder')).toEqual([{ candidateId: 'A', kind: 'reorder', week: 2, arrivalWeek: 3, qty: 8 }]);
    expect(r.kpis).toMatchObject({ unitsSold: 16, lostUnits: 8, stockoutWeeks: 2 });
  });

  it('rejects demand that does not match the season', () => {
    expect(() => simulateClosedLoop([{ ...itemA, demand: [1, 2] }])).toThrow(/2 demand weeks for a 6-week season/);
  });
});

describe('re-sizing an opening order on the category\'s sales', () => {
  it('decides the opening when it is placed, on the weeks its category has sold', () => {
    // Ratio-to-date as the update: sales over forecast of the pooled weeks.
    const ratio = (prior: WeeklyCurve, observed: readonly number[]) => {
      const f = observed.reduce((a, _, h) => a + prior.mean[h], 0);
      const y = observed.reduce((a, b) => a + b, 0);
      return { mean: prior.mean.map((m) => (m * y) / f), sd: prior.sd };
    };
    const sized = (curve: WeeklyCurve) => Math.ceil(curve.mean[0] + curve.mean[1]);
    const a: SimItem = { ...itemA, category: 'x', openingQty: 100, demand: flat(8, 6) };
    const c: SimItem = { ...itemA, candidateId: 'C', category: 'x', launchWeek: 3, openingLeadTimeWeeks: 1, openingQty: 8, resize: { category: 'x', update: ratio, size: sized } };
    const r = simulateClosedLoop([a, c]);
    // C's opening is placed in week 2, after A sold 8 + 8 against a forecast of 4 + 4: twice the
    // forecast, 2 × (4 + 4) = 16 units.
    expect(r.orders.find((o) => o.candidateId === 'C')).toEqual({ candidateId: 'C', kind: 'opening', week: 2, arrivalWeek: 3, qty: 16 });
    expect(r.kpis.purchaseCost).toBe((100 + 16) * 6);
  });
});
