import { describe, expect, it } from 'vitest';
import { addWeeks } from '../../engine/calendar/index.js';
import { generateMarketplace } from './generate.js';
import { SIGNAL_MEASURES } from './signals.js';

// The marketplace the integration tests load (seed 7, small), as the generator drew it before
// signals existed: its sales row count, total units and first candidate prices.
const SEVEN_SALES_ROWS = 14_932;
const SEVEN_UNITS = 1_482_546;
const SEVEN_PRICES = [239.99, 1429.99, 1189.99];

const options = { seed: 21, productsPerCategory: 20, candidatesPerScope: 12, weeks: 120 };
const market = generateMarketplace(options);
const truth = market.truth.prelaunchSignals;

function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y) / n;
  const mb = b.reduce((x, y) => x + y) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Mean weekly count of one measure per item, over the weeks that recorded it. */
function weeklyMeans(measure: (typeof SIGNAL_MEASURES)[number]): Map<string, number> {
  const acc = new Map<string, number[]>();
  for (const r of market.prelaunchSignals) {
    const v = r[measure];
    if (v !== null && v !== undefined) acc.set(r.itemId, [...(acc.get(r.itemId) ?? []), v]);
  }
  return new Map([...acc].map(([id, xs]) => [id, xs.reduce((a, b) => a + b) / xs.length]));
}

describe('pre-launch signals of the synthetic marketplace', () => {
  it('leaves every other row and truth of the marketplace as it was drawn without them', () => {
    // The signals draw only from their own named streams: removing them gives back the marketplace
    // a generator without signals produced, which the pinned values below tie to the old output.
    const again = generateMarketplace(options);
    expect(again.prelaunchSignals).toEqual(market.prelaunchSignals);
    expect(JSON.stringify({ ...again, truth: undefined })).toBe(JSON.stringify({ ...market, truth: undefined }));
    expect(again.truth.prelaunchSignals).toEqual(truth);
    const seven = generateMarketplace({ seed: 7, productsPerCategory: 12, candidatesPerScope: 10, weeks: 130 });
    // Pinned before signals existed (the marketplace the integration tests load).
    expect(seven.sales.length).toBe(SEVEN_SALES_ROWS);
    expect(seven.sales.reduce((s, r) => s + r.units, 0)).toBe(SEVEN_UNITS);
    expect(seven.candidates.map((c) => c.price).slice(0, 3)).toEqual(SEVEN_PRICES);
  });

  it('records signals for past launches (before their launch) and for candidates (up to asOf)', () => {
    const products = new Map(market.products.map((p) => [p.sku, p]));
    const candidates = new Set(market.candidates.map((c) => c.id));
    for (const r of market.prelaunchSignals) {
      const p = products.get(r.itemId);
      if (p) expect(r.week < p.launchWeek).toBe(true);
      else {
        expect(candidates.has(r.itemId)).toBe(true);
        expect(r.week <= market.options.asOf).toBe(true);
      }
      for (const m of SIGNAL_MEASURES) if (r[m] !== null) expect(r[m]).toBeGreaterThanOrEqual(0);
    }
    const recorded = Object.values(truth).filter((t) => t.recorded);
    for (const t of recorded) {
      expect(t.weeks.length).toBeGreaterThanOrEqual(4);
      expect(t.weeks.length).toBeLessThanOrEqual(8);
      const last = t.kind === 'candidate' ? market.options.asOf : addWeeks(t.launchWeek, -1);
      expect(t.weeks.at(-1)).toBe(last);
    }
    expect(recorded.some((t) => t.kind === 'product')).toBe(true);
    expect(recorded.some((t) => t.kind === 'candidate')).toBe(true);
  });

  it('ties every measure to the true launch demand, deeper funnel measures more tightly', () => {
    const demand = (id: string) => Math.log(truth[id].weeklyDemand);
    const r = Object.fromEntries(
      SIGNAL_MEASURES.map((m) => {
        const means = [...weeklyMeans(m)];
        return [m, { n: means.length, corr: corr(means.map(([, v]) => Math.log(v + 0.5)), means.map(([id]) => demand(id))) }];
      }),
    );
    for (const m of SIGNAL_MEASURES) {
      expect(r[m].n).toBeGreaterThan(10);
      expect(r[m].corr).toBeGreaterThan(0.6);
    }
    // Views carry the exposure noise that pre-orders mostly shed (conversion falls with exposure).
    const exposure = Object.values(truth).filter((t) => t.recorded);
    expect(exposure.some((t) => t.exposure > 1.5) && exposure.some((t) => t.exposure < 0.67)).toBe(true);
  });

  it('has missing items, missing measures and missing weeks', () => {
    const all = Object.values(truth);
    const none = all.filter((t) => !t.recorded).length / all.length;
    expect(none).toBeGreaterThan(0.05);
    expect(none).toBeLessThan(0.35);
    const recorded = all.filter((t) => t.recorded);
    expect(recorded.some((t) => !t.measures.includes('views'))).toBe(true);
    expect(recorded.some((t) => t.measures.includes('preorders'))).toBe(true);
    expect(recorded.some((t) => t.measures.includes('notifySignups'))).toBe(true);
    expect(recorded.every((t) => !(t.measures.includes('preorders') && t.measures.includes('notifySignups')))).toBe(true);
    // Some recorded weeks lack a measure the item records.
    const gaps = market.prelaunchSignals.filter((r) => truth[r.itemId].measures.some((m) => r[m] === null));
    expect(gaps.length).toBeGreaterThan(0);
    // A measure the item does not record is never filled in.
    for (const row of market.prelaunchSignals) for (const m of SIGNAL_MEASURES) if (!truth[row.itemId].measures.includes(m)) expect(row[m]).toBeNull();
  });
});
