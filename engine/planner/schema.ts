/**
 * Runtime validation of scenarios (the `plan` CLI file and what orchestration builds from the
 * database). Shape errors come from zod; cross-field rules (curve length = H, earliest <=
 * latest, referenced promotions exist, ...) are checked afterwards. Every message names the
 * path, e.g. `candidates[3].price: must be > 0`.
 */
import { z } from 'zod';
import type { Scenario } from './types.js';

export class ScenarioError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`invalid scenario:\n  ${issues.join('\n  ')}`);
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

const num = z.number({ error: 'must be a number' }).refine(Number.isFinite, { message: 'must be finite' });
const pos = num.refine((v) => v > 0, { message: 'must be > 0' });
const nonneg = num.refine((v) => v >= 0, { message: 'must be >= 0' });
const int = num.refine(Number.isInteger, { message: 'must be an integer' });
const nonnegInt = int.refine((v) => v >= 0, { message: 'must be >= 0' });
const posInt = int.refine((v) => v > 0, { message: 'must be > 0' });
const str = z.string({ error: 'must be a string' }).min(1, { message: 'must not be empty' });
const isoMonday = z.string({ error: 'must be a date string' }).refine(
  (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).getUTCDay() === 1,
  { message: 'must be an ISO Monday date YYYY-MM-DD' },
);

const curve = z.object({ mean: z.array(nonneg), sd: z.array(nonneg) });

const candidate = z.object({
  id: str,
  name: str,
  category: str,
  group: str,
  price: pos,
  unitCost: nonneg,
  salvageValue: nonneg,
  holdingCostPerWeek: nonneg,
  moq: nonnegInt,
  leadTimeWeeks: nonnegInt,
  earliestWeek: int,
  latestWeek: int,
  mustLaunch: z.boolean().optional(),
  alreadyLaunched: z.boolean().optional(),
  committed: z.boolean().optional(),
  fixedWeek: int.optional(),
  fixedQty: nonneg.optional(),
  promotions: z.array(str).optional(),
  curve,
  demandSamples: z.array(nonneg).optional(),
});

const schema = z.object({
  id: z.string().optional(),
  weeks: z.array(isoMonday).min(1, { message: 'must list at least one week' }),
  candidates: z.array(candidate),
  demand: z.object({
    horizonWeeks: posInt,
    multipliers: z.array(z.object({ category: str, values: z.array(nonneg) })).optional(),
    overrides: z
      .array(z.object({ candidateId: str, launchWeek: int, mean: z.array(nonneg), sd: z.array(nonneg) }))
      .optional(),
    distribution: z.enum(['normal', 'lognormal', 'empirical']).optional(),
    weeklyCorrelation: num.refine((v) => v >= 0 && v <= 1, { message: 'must be in [0, 1]' }).optional(),
    intervalLevel: num.refine((v) => v > 0 && v < 100, { message: 'must be in (0, 100)' }).optional(),
    replenishment: z
      .object({ reviewWeeks: posInt, serviceLevel: num.refine((v) => v >= 0.5 && v <= 0.999, { message: 'must be in [0.5, 0.999]' }) })
      .optional(),
  }),
  notes: z.array(z.string()).optional(),
  rules: z.object({
    maxLaunchesPerWeek: z.union([nonnegInt, z.array(nonnegInt)]).optional(),
    cadence: z.array(z.object({ category: str, maxLaunches: nonnegInt, windowWeeks: posInt })).optional(),
    minGapSimilarWeeks: nonnegInt.optional(),
    monthlyBudget: z
      .array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/, { message: 'must be YYYY-MM' }), amount: nonneg }))
      .optional(),
    warehouseCapacityUnits: z.union([nonneg, z.array(nonneg)]).optional(),
    warehouseBaselineUnits: z.array(nonneg).optional(),
    promotions: z
      .array(z.object({ id: str, name: str, week: int, leadWeeks: nonnegInt, candidateIds: z.array(str).optional() }))
      .optional(),
  }),
  competition: z
    .object({ clashPenalty: z.array(z.object({ category: str, values: z.array(nonneg) })) })
    .optional(),
  inventoryRisk: z
    .object({
      lowWeeks: pos,
      overstockWeeks: pos,
      horizonWeeks: posInt,
      categories: z.array(
        z.object({
          category: str,
          transition: z.array(z.array(nonneg)).optional(),
          sequences: z.array(z.array(num)).optional(),
          stockoutCost: nonneg,
        }),
      ),
    })
    .optional(),
  cannibalisation: z
    .object({
      rate: num.refine((v) => v >= 0 && v <= 1, { message: 'must be in [0, 1]' }),
      windowWeeks: posInt,
    })
    .optional(),
  solver: z.object({ timeLimitSeconds: pos.optional(), gapTarget: nonneg.optional() }).optional(),
});

/** `['candidates', 3, 'price']` -> `candidates[3].price`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(root)' : out;
}

function crossChecks(s: Scenario): string[] {
  const issues: string[] = [];
  const H = s.demand.horizonWeeks;
  const W = s.weeks.length;
  for (let i = 1; i < W; i++) {
    const gap = (Date.parse(`${s.weeks[i]}T00:00:00Z`) - Date.parse(`${s.weeks[i - 1]}T00:00:00Z`)) / 86_400_000;
    if (gap !== 7) issues.push(`weeks[${i}]: must be 7 days after weeks[${i - 1}] (${s.weeks[i - 1]})`);
  }
  const ids = new Map<string, number>();
  const promoIds = new Set((s.rules.promotions ?? []).map((p) => p.id));
  s.candidates.forEach((c, i) => {
    const at = `candidates[${i}]`;
    if (ids.has(c.id)) issues.push(`${at}.id: duplicate id "${c.id}" (also candidates[${ids.get(c.id)}])`);
    ids.set(c.id, i);
    if (c.curve.mean.length !== H) issues.push(`${at}.curve.mean: must have horizonWeeks = ${H} values, has ${c.curve.mean.length}`);
    if (c.curve.sd.length !== H) issues.push(`${at}.curve.sd: must have horizonWeeks = ${H} values, has ${c.curve.sd.length}`);
    if (c.salvageValue > c.price) issues.push(`${at}.salvageValue: must be <= price`);
    const fixed = c.alreadyLaunched === true || c.committed === true;
    if (fixed) {
      if (c.fixedWeek === undefined) issues.push(`${at}.fixedWeek: required when alreadyLaunched or committed`);
      if (c.fixedQty === undefined) issues.push(`${at}.fixedQty: required when alreadyLaunched or committed`);
      if (c.fixedWeek !== undefined && c.fixedWeek >= W) issues.push(`${at}.fixedWeek: must be < ${W} (the number of weeks)`);
    } else {
      if (c.earliestWeek > c.latestWeek) issues.push(`${at}.latestWeek: must be >= earliestWeek (${c.earliestWeek})`);
      if (c.earliestWeek < 0) issues.push(`${at}.earliestWeek: must be >= 0`);
      if (c.latestWeek >= W) issues.push(`${at}.latestWeek: must be < ${W} (the number of weeks)`);
    }
    (c.promotions ?? []).forEach((p, j) => {
      if (!promoIds.has(p)) issues.push(`${at}.promotions[${j}]: unknown promotion "${p}"`);
    });
  });
  (s.demand.overrides ?? []).forEach((o, i) => {
    const at = `demand.overrides[${i}]`;
    if (!ids.has(o.candidateId)) issues.push(`${at}.candidateId: unknown candidate "${o.candidateId}"`);
    if (o.mean.length !== H) issues.push(`${at}.mean: must have horizonWeeks = ${H} values`);
    if (o.sd.length !== H) issues.push(`${at}.sd: must have horizonWeeks = ${H} values`);
    if (o.launchWeek < 0 || o.launchWeek >= W) issues.push(`${at}.launchWeek: must be in 0..${W - 1}`);
  });
  (s.rules.promotions ?? []).forEach((p, i) => {
    (p.candidateIds ?? []).forEach((id, j) => {
      if (!ids.has(id)) issues.push(`rules.promotions[${i}].candidateIds[${j}]: unknown candidate "${id}"`);
    });
  });
  const perWeek = (v: number | number[] | undefined, at: string) => {
    if (Array.isArray(v) && v.length !== W) issues.push(`${at}: must have one value per week (${W}), has ${v.length}`);
  };
  perWeek(s.rules.maxLaunchesPerWeek, 'rules.maxLaunchesPerWeek');
  perWeek(s.rules.warehouseCapacityUnits, 'rules.warehouseCapacityUnits');
  perWeek(s.rules.warehouseBaselineUnits, 'rules.warehouseBaselineUnits');
  (s.competition?.clashPenalty ?? []).forEach((c, i) => perWeek(c.values, `competition.clashPenalty[${i}].values`));
  const risk = s.inventoryRisk;
  if (risk) {
    if (risk.overstockWeeks <= risk.lowWeeks) issues.push(`inventoryRisk.overstockWeeks: must be > lowWeeks (${risk.lowWeeks})`);
    risk.categories.forEach((c, i) => {
      const at = `inventoryRisk.categories[${i}]`;
      if (!c.transition && !c.sequences) issues.push(`${at}: give a transition matrix or sequences`);
      if (c.transition) {
        if (c.transition.length !== 4 || c.transition.some((r) => r.length !== 4)) issues.push(`${at}.transition: must be 4x4`);
        else
          c.transition.forEach((r, j) => {
            const sum = r.reduce((a, b) => a + b, 0);
            if (Math.abs(sum - 1) > 1e-6) issues.push(`${at}.transition[${j}]: row must sum to 1 (sums to ${sum})`);
          });
      }
    });
  }
  return issues;
}

/** Parse and check a scenario; throws ScenarioError listing every problem with its path. */
export function validateScenario(raw: unknown): Scenario {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioError(parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  }
  const s = parsed.data as Scenario;
  const issues = crossChecks(s);
  if (issues.length > 0) throw new ScenarioError(issues);
  return s;
}
