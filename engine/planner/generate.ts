/**
 * Seeded generator of planning scenarios for tests and the benchmark: C candidates in a few
 * categories and similarity groups, seasonal multipliers with festival peaks, and rules sized so
 * that launch capacity, cadence and the monthly budget bind (only part of what is worth
 * launching fits), as in a real launch calendar.
 */
import { mulberry32 as rng } from '../math/index.js';
import type { Candidate, Scenario } from './types.js';

export interface GenerateOptions {
  candidates: number;
  weeks: number;
  seed?: number;
  /** Coverage horizon H (default 8). */
  horizonWeeks?: number;
  /** First Monday (default 2026-11-30). */
  startDate?: string;
  /** Scale of the binding rules: 1 = default tightness, larger = looser. */
  slack?: number;
  /** Share of must-launch items (default 0.02). */
  mustLaunchShare?: number;
  /** Include a warehouse capacity (default true). */
  warehouse?: boolean;
}

const DAY = 86_400_000;

export function generateScenario(opts: GenerateOptions): Scenario {
  const C = opts.candidates;
  const W = opts.weeks;
  const H = opts.horizonWeeks ?? 8;
  const slack = opts.slack ?? 1;
  const rand = rng(opts.seed ?? 1);
  const uni = (a: number, b: number) => a + (b - a) * rand();
  const int = (a: number, b: number) => Math.floor(uni(a, b + 1));
  const start = Date.parse(`${opts.startDate ?? '2026-11-30'}T00:00:00Z`);
  const weeks = Array.from({ length: W }, (_, i) => new Date(start + i * 7 * DAY).toISOString().slice(0, 10));

  const K = Math.max(2, Math.min(20, Math.round(C / 250)));
  const categories = Array.from({ length: K }, (_, k) => `cat${k}`);
  const groupSize = 8;
  const candidates: Candidate[] = [];
  for (let i = 0; i < C; i++) {
    const k = i % K;
    const group = `cat${k}-g${Math.floor(i / (K * groupSize))}`;
    const price = Math.round(Math.exp(uni(Math.log(15), Math.log(1500))));
    const unitCost = Math.round(price * uni(0.45, 0.7) * 100) / 100;
    const peak = uni(10, 120) * Math.sqrt(200 / price);
    const decay = uni(0.75, 0.92);
    const cv = uni(0.25, 0.5);
    const mean = Array.from({ length: H }, (_, h) => Math.round(peak * (h === 0 ? 0.7 : decay ** (h - 1)) * 100) / 100);
    const earliest = int(0, Math.floor(W / 2));
    const latest = Math.min(W - 1, earliest + int(Math.floor(W / 4), W));
    candidates.push({
      id: `SKU-${String(i).padStart(5, '0')}`,
      name: `Item ${i}`,
      category: categories[k],
      group,
      price,
      unitCost,
      salvageValue: Math.round(unitCost * uni(0.2, 0.5) * 100) / 100,
      holdingCostPerWeek: Math.round(unitCost * 0.004 * 1000) / 1000,
      moq: int(0, 3) * 10,
      leadTimeWeeks: int(0, 3),
      earliestWeek: earliest,
      latestWeek: latest,
      ...(rand() < (opts.mustLaunchShare ?? 0.02) ? { mustLaunch: true, latestWeek: W - 1, earliestWeek: Math.min(earliest, Math.floor(W / 3)) } : {}),
      curve: { mean, sd: mean.map((m) => Math.round(m * cv * 100) / 100) },
    });
  }

  // Seasonality: a yearly wave per category with a festival peak, and a gentle market trend.
  const multipliers = categories.map((cat) => {
    const phase = uni(0, 52);
    const festival = int(0, Math.max(0, W - 1));
    return {
      category: cat,
      values: Array.from({ length: W + H }, (_, t) => Math.round((1 + 0.3 * Math.sin((2 * Math.PI * (t + phase)) / 52) + (Math.abs(t - festival) <= 1 ? 0.4 : 0)) * 1000) / 1000),
    };
  });
  multipliers.push({ category: '*', values: Array.from({ length: W + H }, (_, t) => Math.round((1 + 0.002 * t) * 1000) / 1000) });

  const promotions = [
    { id: 'promo-a', name: 'Spring sale', week: Math.min(W - 1, Math.floor(W * 0.4)), leadWeeks: 1 },
    { id: 'promo-b', name: 'Festival week', week: Math.min(W - 1, Math.floor(W * 0.8)), leadWeeks: 2 },
  ];
  for (const c of candidates) {
    if (c.mustLaunch || rand() > 0.04) continue;
    const p = promotions[int(0, 1)];
    if (c.earliestWeek + c.leadTimeWeeks <= p.week - p.leadWeeks) c.promotions = [p.id];
  }

  // Binding rules: capacity and cadence let through ~60% of candidates over the horizon; the
  // budget covers ~55% of the spend of launching everything once.
  const perWeek = Math.max(1, Math.ceil(((0.6 * C) / W) * slack));
  const cadenceWindow = 4;
  const cadence = categories.map((cat) => ({
    category: cat,
    maxLaunches: Math.max(1, Math.round(((0.55 * C) / K / W) * cadenceWindow * slack)),
    windowWeeks: cadenceWindow,
  }));
  const monthSpend = new Map<string, number>();
  for (const c of candidates) {
    const w = Math.max(c.earliestWeek, c.leadTimeWeeks);
    const mid = Math.min(c.latestWeek, w + Math.floor((c.latestWeek - w) / 2));
    const month = weeks[Math.min(W - 1, mid)].slice(0, 7);
    const units = c.curve.mean.reduce((a, b) => a + b, 0) * 1.1;
    monthSpend.set(month, (monthSpend.get(month) ?? 0) + units * c.unitCost);
  }
  const totalSpend = [...monthSpend.values()].reduce((a, b) => a + b, 0);
  const months = [...new Set(weeks.map((w) => w.slice(0, 7)))];
  const monthlyBudget = months.map((month) => ({ month, amount: Math.round(((0.55 * totalSpend) / months.length) * slack) }));
  const avgUnits = candidates.reduce((a, c) => a + c.curve.mean.reduce((x, y) => x + y, 0), 0) / Math.max(1, C);
  const warehouse = opts.warehouse ?? true;

  const clashPenalty = categories.map(() => {
    const hot = new Set(Array.from({ length: Math.max(1, Math.floor(W / 8)) }, () => int(0, W - 1)));
    return Array.from({ length: W }, (_, w) => (hot.has(w) ? Math.round(uni(200, 1500)) : 0));
  });

  return {
    id: `generated-${C}x${W}-seed${opts.seed ?? 1}`,
    weeks,
    candidates,
    demand: { horizonWeeks: H, multipliers, intervalLevel: 80 },
    rules: {
      maxLaunchesPerWeek: perWeek,
      cadence,
      minGapSimilarWeeks: 2,
      monthlyBudget,
      ...(warehouse ? { warehouseCapacityUnits: Math.round(avgUnits * perWeek * H * 0.7 * slack) } : {}),
      promotions,
    },
    competition: { clashPenalty: categories.map((category, k) => ({ category, values: clashPenalty[k] })) },
    inventoryRisk: {
      lowWeeks: 2,
      overstockWeeks: 8,
      horizonWeeks: 4,
      categories: categories.map((category) => ({
        category,
        transition: [
          [0.5, 0.3, 0.2, 0],
          [0.2, 0.5, 0.3, 0],
          [0.04, 0.16, 0.7, 0.1],
          [0, 0.04, 0.26, 0.7],
        ],
        stockoutCost: Math.round(uni(50, 400)),
      })),
    },
    cannibalisation: { rate: 0.1, windowWeeks: 3 },
    solver: { timeLimitSeconds: 60, gapTarget: 0.01 },
  };
}
