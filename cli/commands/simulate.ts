import { writeFile } from 'node:fs/promises';
import { parseFlags, positiveInt, UsageError } from '../args.js';
import { generateMarketplace, type Marketplace } from '../../data/synthetic/index.js';
import { greedyPlan, planLaunches, validateScenario, type Candidate, type Scenario } from '../../engine/planner/index.js';
import { comparePlans, launchesOfPlan, naivePlan, type ComparisonRow, type TruthProvider } from '../../engine/planner/simulate.js';

const HELP = `usage: launchloop simulate [--seed N] [--scope ID] [--weeks W] [--horizon H] [--cover C] [--time-limit S] [--with-rules] [--output FILE]

Generates the synthetic marketplace (data/synthetic), builds a planning scenario for one scope
from what a planner could know (like-item launch curves and seasonal indices from sales
history, the candidate catalogue, default rules), plans it with the MILP and the greedy
heuristic, and plays each plan and a naive plan (every candidate at its earliest week with C
weeks of forecast cover) forward against the ground-truth expected demand, cannibalisation
between the plan's own launches included. Prints units sold, revenue, margin, stock-out weeks,
inventory turnover and lift vs naive.
  --weeks W       planning weeks after the history (default 26)
  --horizon H     coverage horizon of an opening order in weeks (default 12)
  --cover C       weeks of cover of the naive plan (default 8)
  --with-rules    add binding launch rules (capacity, cadence, gap, budget); the naive plan
                  ignores them, so it may then launch more than any rule-abiding plan`;

const DAY = 86_400_000;
const addWeeks = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 7 * DAY).toISOString().slice(0, 10);
const weeksBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (7 * DAY));

/** Mean and sd of units in weeks 0..H-1 after launch over like items (same subcategory, region). */
function likeItemCurve(mk: Marketplace, region: string, sub: string, cat: string, H: number, salesOf: Map<string, Map<string, number>>): { mean: number[]; sd: number[] } {
  const pick = (match: (p: Marketplace['products'][number]) => boolean) =>
    mk.products.filter((p) => match(p) && p.launchWeek >= mk.historyStart && addWeeks(p.launchWeek, H) <= mk.options.asOf);
  let like = pick((p) => p.subcategory === sub);
  if (like.length < 3) like = pick((p) => p.category === cat);
  const series = like.map((p) => Array.from({ length: H }, (_, h) => salesOf.get(`${p.sku}|${region}`)?.get(addWeeks(p.launchWeek, h)) ?? 0));
  const mean = Array.from({ length: H }, (_, h) => series.reduce((s, x) => s + x[h], 0) / Math.max(1, series.length));
  const sd = mean.map((m, h) => Math.sqrt(series.reduce((s, x) => s + (x[h] - m) ** 2, 0) / Math.max(1, series.length - 1)) || m * 0.3);
  return { mean: mean.map((v) => Math.max(0, v)), sd };
}

/** Seasonal index by week of year: category sales over their 52-week centred moving average. */
function seasonalIndex(mk: Marketplace, region: string, category: string): number[] {
  const cats = new Map(mk.products.map((p) => [p.sku, p.category]));
  const total = new Map<string, number>();
  for (const s of mk.sales) if (s.region === region && cats.get(s.sku) === category) total.set(s.week, (total.get(s.week) ?? 0) + s.units);
  const weeks = [...total.keys()].sort();
  const y = weeks.map((w) => total.get(w)!);
  const sum = new Array<number>(53).fill(0);
  const cnt = new Array<number>(53).fill(0);
  for (let t = 26; t < y.length - 26; t++) {
    let ma = 0;
    for (let k = t - 26; k < t + 26; k++) ma += y[k];
    ma /= 52;
    if (ma <= 0) continue;
    const woy = weekOfYear(weeks[t]);
    sum[woy] += y[t] / ma;
    cnt[woy] += 1;
  }
  return sum.map((s, i) => (cnt[i] > 0 ? s / cnt[i] : 1));
}

function weekOfYear(iso: string): number {
  const d = new Date(`${iso}T00:00:00Z`);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.min(52, Math.floor((d.getTime() - start) / (7 * DAY)));
}

export function scenarioFromMarketplace(mk: Marketplace, scopeId: string, W: number, H: number, withRules: boolean): Scenario {
  const scope = mk.scopes.find((s) => s.id === scopeId);
  if (!scope) throw new UsageError(`unknown scope "${scopeId}" (have ${mk.scopes.map((s) => s.id).join(', ')})`);
  const region = scope.region;
  const start = addWeeks(mk.options.asOf, 1);
  const weeks = Array.from({ length: W }, (_, i) => addWeeks(start, i));
  const salesOf = new Map<string, Map<string, number>>();
  for (const s of mk.sales) {
    const key = `${s.sku}|${s.region}`;
    (salesOf.get(key) ?? salesOf.set(key, new Map()).get(key)!).set(s.week, s.units);
  }
  const rows = mk.candidates.filter((c) => c.scopeId === scopeId);
  const categories = [...new Set(rows.map((c) => c.category))];
  const candidates: Candidate[] = [];
  for (const c of rows) {
    const earliest = Math.max(0, weeksBetween(start, c.earliestWeek));
    const latest = Math.min(W - 1, weeksBetween(start, c.latestWeek));
    if (earliest > latest) continue;
    candidates.push({
      id: c.id,
      name: c.name,
      category: c.category,
      group: c.subcategory,
      price: c.price,
      unitCost: c.unitCost,
      salvageValue: c.salvageValue,
      // Assumption: holding ~20% of cost a year.
      holdingCostPerWeek: Math.round(c.unitCost * 0.004 * 100) / 100,
      moq: c.moq ?? 0,
      leadTimeWeeks: c.leadTimeWeeks ?? 0,
      earliestWeek: earliest,
      latestWeek: latest,
      ...(c.mustLaunch ? { mustLaunch: true } : {}),
      curve: likeItemCurve(mk, region, c.subcategory, c.category, H, salesOf),
    });
  }
  const multipliers = categories.map((category) => {
    const idx = seasonalIndex(mk, region, category);
    return { category, values: Array.from({ length: W + H }, (_, t) => Math.round(idx[weekOfYear(addWeeks(start, t))] * 1000) / 1000) };
  });
  // --with-rules: 2 launches a week, 2 per category in any 4 weeks, similar items 2 weeks
  // apart, and a monthly opening-stock budget of 60% of what launching everything would cost.
  // Without it the planner only chooses which items, weeks and quantities (the synthetic
  // scopes carry no rules), which is the like-for-like comparison with the naive plan.
  const spend = candidates.reduce((s, c) => s + c.unitCost * Math.max(c.moq, c.curve.mean.reduce((a, b) => a + b, 0)), 0);
  const months = [...new Set(weeks.map((w) => w.slice(0, 7)))];
  return validateScenario({
    id: `synthetic-${mk.options.seed}-${scopeId}`,
    weeks,
    candidates,
    demand: { horizonWeeks: H, multipliers, intervalLevel: 80 },
    rules: withRules
      ? {
          maxLaunchesPerWeek: 2,
          cadence: categories.map((category) => ({ category, maxLaunches: 2, windowWeeks: 4 })),
          minGapSimilarWeeks: 2,
          monthlyBudget: months.map((month) => ({ month, amount: Math.round((0.6 * spend) / months.length) })),
        }
      : {},
    cannibalisation: { rate: 0.1, windowWeeks: 4 },
  });
}

function table(rows: ComparisonRow[]): string {
  const head = ['plan', 'launches', 'units sold', 'revenue', 'margin', 'margin/launch', 'stock-out wks', 'fill rate', 'turnover', 'lift vs naive'];
  const body = rows.map((r) => [
    r.plan,
    String(r.launches),
    r.unitsSold.toFixed(0),
    r.revenue.toFixed(0),
    r.margin.toFixed(0),
    (r.margin / Math.max(1, r.launches)).toFixed(0),
    String(r.stockoutWeeks),
    `${(r.fillRate * 100).toFixed(1)}%`,
    r.turnover.toFixed(2),
    `${(r.liftVsNaive * 100).toFixed(1)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    seed: { type: 'string' },
    scope: { type: 'string' },
    weeks: { type: 'string' },
    horizon: { type: 'string' },
    cover: { type: 'string' },
    'time-limit': { type: 'string' },
    output: { type: 'string' },
    'with-rules': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const seed = positiveInt(values.seed, 'seed', 1);
  const W = positiveInt(values.weeks, 'weeks', 26);
  const H = positiveInt(values.horizon, 'horizon', 12);
  const cover = positiveInt(values.cover, 'cover', 8);
  const timeLimitSeconds = positiveInt(values['time-limit'], 'time-limit', 30);
  const mk = generateMarketplace({ seed, horizonWeeks: Math.max(W + H, 26) });
  const scopeId = values.scope ?? mk.scopes[0].id;
  const scenario = scenarioFromMarketplace(mk, scopeId, W, H, values['with-rules'] === true);
  const truth: TruthProvider = {
    demand: (id, w, weeks, launches) =>
      mk.truth.candidateDemand(id, scenario.weeks[w] ?? addWeeks(scenario.weeks[0], w), weeks, {
        launches: launches.map((l) => ({ candidateId: l.candidateId, launchWeek: addWeeks(scenario.weeks[0], l.week) })),
      }),
  };
  const milp = await planLaunches(scenario, { timeLimitSeconds });
  const greedy = greedyPlan(scenario);
  const rows = comparePlans(scenario, truth, { naive: naivePlan(scenario, cover), greedy: launchesOfPlan(greedy), milp: launchesOfPlan(milp) });
  console.log(`scope ${scopeId}, ${scenario.candidates.length} candidates, ${W} weeks from ${scenario.weeks[0]}, coverage ${H} weeks; seed ${seed}`);
  console.log(`milp: ${milp.method}/${milp.status}${milp.solver ? ` (${milp.solver.status}, gap ${milp.solver.gap === null ? 'n/a' : `${(milp.solver.gap * 100).toFixed(2)}%`})` : ''}${milp.fallbackReason ? `; ${milp.fallbackReason}` : ''}`);
  for (const c of milp.conflicts) console.log(`conflict (${c.rule}): ${c.message}`);
  console.log(table(rows));
  if (values.output) await writeFile(values.output, `${JSON.stringify({ scenarioId: scenario.id, rows, milp, greedy }, null, 2)}\n`);
}
