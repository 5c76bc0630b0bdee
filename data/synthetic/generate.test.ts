import { describe, expect, it } from 'vitest';
import { addWeeks, isMonday, weeksBetween } from '../../engine/calendar/index.js';
import { blackFriday, festivalsBetween } from './festivals.js';
import { generateMarketplace } from './generate.js';

const market = generateMarketplace({ seed: 11 });

describe('festival calendar', () => {
  it('puts Black Friday on the Friday after the fourth Thursday of November', () => {
    expect(blackFriday(2024)).toBe('2024-11-29');
    expect(blackFriday(2025)).toBe('2025-11-28');
    expect(blackFriday(2026)).toBe('2026-11-27');
  });

  it('anchors each festival to the Monday of its week, Spring Festival from the lunar table', () => {
    const weeks = Object.fromEntries(festivalsBetween('2026-01-05', '2026-12-28').map((f) => [f.name, f.week]));
    expect(weeks).toEqual({ spring_festival: '2026-02-16', '618': '2026-06-15', double_11: '2026-11-09', black_friday: '2026-11-23' });
  });
});

describe('generateMarketplace', () => {
  it('is deterministic: the same seed gives identical rows and truth', () => {
    const again = generateMarketplace({ seed: 11 });
    expect(JSON.stringify(again.sales)).toBe(JSON.stringify(market.sales));
    expect(JSON.stringify({ ...again, truth: undefined })).toBe(JSON.stringify({ ...market, truth: undefined }));
    expect(again.truth.salesDemand).toEqual(market.truth.salesDemand);
    expect(again.truth.products).toEqual(market.truth.products);
    const c = market.candidates[5];
    expect(again.truth.candidateDemand(c.id, c.earliestWeek, 30)).toEqual(market.truth.candidateDemand(c.id, c.earliestWeek, 30));
  });

  it('gives a different marketplace for a different seed', () => {
    const other = generateMarketplace({ seed: 12, productsPerCategory: 10, candidatesPerScope: 8 });
    expect(other.products.map((p) => p.price)).not.toEqual(market.products.slice(0, 10).map((p) => p.price));
  });

  it('covers 3+ years of ISO Monday weeks ending at asOf, for every scope and category', () => {
    expect(market.scopes.map((s) => s.id)).toEqual(['electronics/east', 'electronics/west', 'electronics/north', 'electronics/south']);
    const weeks = new Set(market.sales.map((s) => s.week));
    expect([...weeks].every(isMonday)).toBe(true);
    expect([...weeks].sort().at(-1)).toBe('2026-11-23');
    expect(weeksBetween([...weeks].sort()[0], '2026-11-23')).toBeGreaterThanOrEqual(156);
    expect(new Set(market.products.map((p) => p.category))).toEqual(new Set(['phones', 'tablets', 'laptops', 'accessories']));
    expect(market.indicators.filter((i) => i.name === 'ce_demand_index')).toHaveLength(160);
    expect(market.inventory).toHaveLength(market.sales.length);
  });

  it('peaks at Double 11 and 618 and dips in the Spring Festival week', () => {
    const total = new Map<string, number>();
    market.sales.forEach((s, i) => total.set(s.week, (total.get(s.week) ?? 0) + market.truth.salesDemand.expected[i]));
    const around = (week: string) => (total.get(addWeeks(week, -4))! + total.get(addWeeks(week, -3))! + total.get(addWeeks(week, 3))! + total.get(addWeeks(week, 4))!) / 4;
    const fests = festivalsBetween(addWeeks(market.historyStart, 4), addWeeks(market.options.asOf, -4));
    for (const f of fests.filter((x) => x.name === 'double_11')) expect(total.get(f.week)! / around(f.week)).toBeGreaterThan(1.8);
    for (const f of fests.filter((x) => x.name === '618')) expect(total.get(f.week)! / around(f.week)).toBeGreaterThan(1.4);
    for (const f of fests.filter((x) => x.name === 'spring_festival')) expect(total.get(f.week)!).toBeLessThan(total.get(addWeeks(f.week, -1))! * 0.7);
    // The festival truth agrees with the weekly multipliers.
    const d11truth = market.truth.festivals.find((f) => f.name === 'double_11' && f.week >= market.historyStart)!;
    const weekly = market.truth.weeklyMultipliers.find((m) => m.category === 'phones' && m.region === 'west' && m.week === d11truth.week)!;
    expect(weekly.festival).toBeCloseTo(d11truth.multipliers.phones.west[0], 10);
    // Censored sales still show the Double 11 peak.
    const sold = new Map<string, number>();
    for (const s of market.sales) sold.set(s.week, (sold.get(s.week) ?? 0) + s.units);
    const d11 = fests.find((x) => x.name === 'double_11')!.week;
    expect(sold.get(d11)! / sold.get(addWeeks(d11, -3))!).toBeGreaterThan(1.5);
  });

  it('censors sales at the stock on hand: stock-out weeks sell exactly what was available, below demand', () => {
    let stockouts = 0;
    const wrong: string[] = [];
    market.sales.forEach((s, i) => {
      const inv = market.inventory[i];
      const demand = market.truth.salesDemand.realized[i];
      const ok = s.stockout
        ? s.units === inv.onHand && s.units < demand
        : s.units === demand && s.units <= inv.onHand;
      if (s.stockout) stockouts++;
      if (!ok || inv.sku !== s.sku || inv.week !== s.week || inv.region !== s.region) wrong.push(`${s.sku} ${s.region} ${s.week}`);
    });
    expect(wrong).toEqual([]);
    expect(stockouts / market.sales.length).toBeGreaterThan(0.01);
    expect(stockouts / market.sales.length).toBeLessThan(0.2);
  });

  it('lets a newer sibling take share from older products in its subcategory', () => {
    const t = market.truth;
    const cann = t.salesDemand.cannibalisation;
    expect(cann.some((c) => c < 0.9)).toBe(true);
    expect(cann.every((c) => c > 0 && c <= 1)).toBe(true);
    // Before any newer sibling launches, a product's demand is untouched.
    const products = Object.values(t.products);
    const touched: string[] = [];
    market.sales.forEach((s, i) => {
      const p = t.products[s.sku];
      const newer = products.filter(
        (o) => o.subcategory === p.subcategory && (o.launchWeek > p.launchWeek || (o.launchWeek === p.launchWeek && o.sku > p.sku)),
      );
      if (newer.every((o) => o.launchWeek > s.week) && cann[i] !== 1) touched.push(`${s.sku} ${s.week}`);
    });
    expect(touched).toEqual([]);
    // A candidate launched into a subcategory lowers the true demand of live products there.
    const candidate = market.candidates.find((c) => c.scopeId === 'electronics/east')!;
    const sibling = market.products.find(
      (p) => p.subcategory === candidate.subcategory && t.productDemand(p.sku, 'east', candidate.earliestWeek, 1)[0] > 0,
    )!;
    const without = t.productDemand(sibling.sku, 'east', candidate.earliestWeek, 12);
    const withLaunch = t.productDemand(sibling.sku, 'east', candidate.earliestWeek, 12, {
      launches: [{ candidateId: candidate.id, launchWeek: candidate.earliestWeek }],
    });
    expect(withLaunch.reduce((a, b) => a + b)).toBeLessThan(without.reduce((a, b) => a + b));
    expect(withLaunch[0]).toBeLessThanOrEqual(without[0]);
  });

  it('lets a later candidate launch cannibalise an earlier one in the same subcategory and scope', () => {
    const t = market.truth;
    const east = market.candidates.filter((c) => c.scopeId === 'electronics/east');
    const pair = east.flatMap((a) => east.filter((b) => b.id !== a.id && b.subcategory === a.subcategory).map((b) => [a, b] as const))[0];
    expect(pair).toBeDefined();
    const [a, b] = pair;
    const alone = t.candidateDemand(a.id, a.earliestWeek, 20);
    const later = t.candidateDemand(a.id, a.earliestWeek, 20, { launches: [{ candidateId: b.id, launchWeek: addWeeks(a.earliestWeek, 4) }] });
    expect(later.slice(0, 4)).toEqual(alone.slice(0, 4));
    expect(later[10]).toBeLessThan(alone[10]);
    // An older launch does not take share from a newer one.
    const earlier = t.candidateDemand(a.id, a.earliestWeek, 20, { launches: [{ candidateId: b.id, launchWeek: addWeeks(a.earliestWeek, -4) }] });
    expect(earlier).toEqual(alone);
  });

  it('gives every candidate a finite, positive true demand for any launch week in its window', () => {
    const t = market.truth;
    for (const c of market.candidates) {
      for (const week of [c.earliestWeek, c.latestWeek]) {
        const demand = t.candidateDemand(c.id, week, 52);
        expect(demand).toHaveLength(52);
        for (const d of demand) {
          expect(Number.isFinite(d)).toBe(true);
          expect(d).toBeGreaterThan(0);
        }
      }
    }
    expect(() => t.candidateDemand(market.candidates[0].id, '2027-01-06', 4)).toThrow(/Monday/);
  });

  it('offers candidates with launch windows inside the horizon, after their lead time, some must-launch', () => {
    const asOf = market.options.asOf;
    for (const c of market.candidates) {
      expect(weeksBetween(asOf, c.earliestWeek)).toBeGreaterThan(c.leadTimeWeeks ?? 0);
      expect(c.latestWeek >= c.earliestWeek).toBe(true);
      expect(weeksBetween(asOf, c.latestWeek)).toBeLessThanOrEqual(market.options.horizonWeeks);
      expect(c.unitCost).toBeLessThan(c.price);
      expect(c.salvageValue).toBeLessThan(c.unitCost);
    }
    expect(market.candidates.filter((c) => c.scopeId === 'electronics/east')).toHaveLength(30);
    expect(market.candidates.some((c) => c.mustLaunch)).toBe(true);
  });

  it('makes ce_demand_index lead the market it measures', () => {
    const idx = market.indicators.filter((i) => i.name === 'ce_demand_index').map((i) => Math.log(i.value));
    const byWeek = new Map<string, number[]>();
    for (const m of market.truth.weeklyMultipliers) byWeek.set(m.week, [...(byWeek.get(m.week) ?? []), Math.log(m.market)]);
    const mkt = market.indicators.filter((i) => i.name === 'ce_demand_index').map((_, t) => {
      const xs = byWeek.get(addWeeks(market.historyStart, t + 4))!;
      return xs.reduce((a, b) => a + b) / xs.length;
    });
    const lagged = market.indicators.filter((i) => i.name === 'ce_demand_index').map((_, t) => {
      const xs = byWeek.get(addWeeks(market.historyStart, Math.max(0, t - 4)))!;
      return xs.reduce((a, b) => a + b) / xs.length;
    });
    expect(corr(idx, mkt)).toBeGreaterThan(0.5);
    expect(corr(idx, mkt)).toBeGreaterThan(corr(idx, lagged) + 0.1);
  });

  it('scales up for benchmarks', () => {
    const big = generateMarketplace({ seed: 3, productsPerCategory: 60, candidatesPerScope: 40, weeks: 208, regions: ['east', 'west'] });
    expect(big.products).toHaveLength(240);
    expect(big.candidates).toHaveLength(80);
    expect(big.historyStart).toBe(addWeeks('2026-11-23', -207));
  });

  it('splits a large catalogue into product lines: share goes only to newer products of the same line', () => {
    const options = { seed: 5, productsPerCategory: 40, candidatesPerScope: 4, weeks: 80, regions: ['east'] };
    const whole = generateMarketplace(options);
    // One line as large as the category is the whole category, row for row.
    expect(generateMarketplace({ ...options, productLineSize: 40 }).truth.salesDemand).toEqual(whole.truth.salesDemand);
    const lines = generateMarketplace({ ...options, productLineSize: 5 });
    expect(lines.products).toEqual(whole.products);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Fewer rivals per product: less demand lost to cannibalisation, never more.
    expect(mean(lines.truth.salesDemand.cannibalisation)).toBeGreaterThan(mean(whole.truth.salesDemand.cannibalisation));
    expect(Math.min(...lines.truth.salesDemand.cannibalisation)).toBeGreaterThanOrEqual(Math.min(...whole.truth.salesDemand.cannibalisation));
    expect(() => generateMarketplace({ ...options, productLineSize: -1 })).toThrow(RangeError);
  });
});

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
