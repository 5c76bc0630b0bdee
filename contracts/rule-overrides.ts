import { z } from 'zod';
import { scopeRulesSchema, type ScopeRules } from './scope-rules.js';

/**
 * Rule overrides of one replan: a partial of the scope rules that applies to that replan's plan
 * only (a larger budget before a promotion, more launches in one busy week); the scope's stored
 * rules stay as they are. Shared by the API (validation, 400/403), the CLI, the replan workflow's
 * input and the plan activity (merge, summary lines).
 *
 * Only rules the plan is built from can be overridden. Keys that the plan does not read (training,
 * forecasting, the in-season adjust stage) would do nothing for a single plan, and some of them
 * would let anyone who may replan spend compute a planner budgets for (10,000 epochs), so they are
 * refused with why. Every key of `scopeRulesSchema` is in exactly one of the lists below; the
 * test fails for a rule added without choosing.
 */

/** Planning rules anyone who may replan (merchandiser and up) may override for that replan. */
export const PLANNING_OVERRIDE_KEYS = [
  'planningWeeks',
  'coverageWeeks',
  'maxLaunchesPerWeek',
  'cadence',
  'defaultCadence',
  'minGapSimilarWeeks',
  'monthlyBudget',
  'warehouseCapacityUnits',
  'holdingCostRate',
  'promotionLeadWeeks',
  'promotionRides',
  'cannibalisation',
  'demandUncertainty',
  'stockoutCostWeeks',
  'clashWindowWeeks',
  'replenishment',
] as const;

/**
 * Planning settings that cost compute (the solver may be given up to an hour): overridable by the
 * planner role and up, like the scope rules themselves.
 */
export const PLANNER_OVERRIDE_KEYS = ['solver'] as const;

/** Rules a replan's plan does not read, with what reads them instead: refused in an override. */
export const NOT_OVERRIDABLE: Readonly<Record<string, string>> = {
  coldStart: 'a training setting of the cold-start model, which a replan does not train',
  forecastModel: 'chosen by the forecast that runs before the plan is built',
  reorderApprovalLimit: 'read by the in-season adjust stage, not by the plan',
  trackingSignalLimit: 'read by the in-season adjust stage, not by the plan',
  sizedFromHistory: 'a note of how the import sized the rules, not a rule',
};

export type OverridableKey = (typeof PLANNING_OVERRIDE_KEYS)[number] | (typeof PLANNER_OVERRIDE_KEYS)[number];

/** Object-valued rules are overridden field by field; everything else (numbers, lists) whole. */
type OneLevelPartial<T> = T extends readonly unknown[] ? T : T extends object ? Partial<T> : T;
export type RuleOverrides = { [K in OverridableKey]?: OneLevelPartial<NonNullable<ScopeRules[K]>> };

const OVERRIDABLE: readonly string[] = [...PLANNING_OVERRIDE_KEYS, ...PLANNER_OVERRIDE_KEYS];

/**
 * A rule's schema without its defaults: an override that leaves a field out must leave the
 * scope's value, not put the default in its place (zod applies defaults inside `.partial()`).
 * Objects become strict partials of their fields; lists keep their element schema.
 */
function withoutDefaults(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return withoutDefaults(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return z.strictObject(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, withoutDefaults(v).optional()])));
  }
  return schema;
}

function unrecognised(keys: string[]): string {
  return keys
    .map((k) =>
      k in NOT_OVERRIDABLE
        ? `${k} cannot be overridden for one replan: it is ${NOT_OVERRIDABLE[k]}; change it in the scope's rules (PUT /scopes/{group}/{region}/rules, planner role)`
        : `${k} is not a scope rule (overridable: ${OVERRIDABLE.join(', ')})`,
    )
    .join('; ');
}

const rulesShape = scopeRulesSchema.shape as Record<string, z.ZodType>;

/**
 * The `ruleOverrides` of a replan: the overridable rules' own schemas (the bounds `PUT rules`
 * checks), every one optional and without defaults; an unknown or non-overridable key is refused
 * with a message that names it and says why.
 */
export const ruleOverridesSchema = z
  .strictObject(Object.fromEntries(OVERRIDABLE.map((k) => [k, withoutDefaults(rulesShape[k]).optional()])), {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unrecognised(issue.keys) : undefined),
  })
  .describe(
    "Rules for this replan's plan only (the scope's stored rules are unchanged): any of the planning rules, object rules field by field; " +
      '`solver` needs the planner role; training, forecasting and adjust-stage settings are refused.',
  ) as unknown as z.ZodType<RuleOverrides>;

/** An override's issues named from the request's root: `ruleOverrides.monthlyBudget: Too small: …`. */
export function overrideIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${['ruleOverrides', ...i.path.map(String)].join('.')}: ${i.message}`);
}

/** Keys of an override that need the planner role. */
export function plannerOnlyKeys(overrides: RuleOverrides): string[] {
  return Object.keys(overrides).filter((k) => (PLANNER_OVERRIDE_KEYS as readonly string[]).includes(k));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The rules a replan's plan is built with: the scope's (parsed) rules with the overrides on top,
 * checked again as a whole by the scope rules' schema (the paths of its issues name the rules).
 */
export function applyRuleOverrides(rules: ScopeRules, overrides: RuleOverrides | null | undefined): ReturnType<typeof scopeRulesSchema.safeParse> {
  const merged: Record<string, unknown> = { ...rules };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === undefined) continue;
    const base = merged[k];
    merged[k] = isPlainObject(v) && isPlainObject(base) ? { ...base, ...v } : v;
  }
  return scopeRulesSchema.safeParse(merged);
}

/** An empty override is no override (and hashes like one for the Idempotency-Key). */
export function nonEmptyOverrides(overrides: RuleOverrides | null | undefined): RuleOverrides | undefined {
  return overrides && Object.keys(overrides).some((k) => overrides[k as OverridableKey] !== undefined) ? overrides : undefined;
}

const LABELS: Record<string, string> = {
  planningWeeks: 'planning horizon (weeks)',
  coverageWeeks: 'coverage (weeks)',
  maxLaunchesPerWeek: 'launches per week',
  cadence: 'category cadence',
  defaultCadence: 'default cadence',
  minGapSimilarWeeks: 'gap between similar launches (weeks)',
  monthlyBudget: 'monthly opening budget',
  warehouseCapacityUnits: 'warehouse capacity (units)',
  holdingCostRate: 'holding cost rate',
  promotionLeadWeeks: 'launch lead before a promotion (weeks)',
  promotionRides: 'promotion rides',
  cannibalisation: 'cannibalisation',
  demandUncertainty: 'demand uncertainty',
  stockoutCostWeeks: 'stock-out cost (weeks of margin)',
  clashWindowWeeks: 'competitor clash window (weeks)',
  replenishment: 'replenishment',
  solver: 'solver',
};

const show = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 6 }) : typeof v === 'string' ? v : JSON.stringify(v));

function change(label: string, from: unknown, to: unknown): string {
  if (from === undefined) return `${label} set to ${show(to)} for this replan (the scope has none)`;
  if (typeof from === 'number' && typeof to === 'number' && from !== to) return `${label} ${to > from ? 'raised' : 'lowered'} to ${show(to)} for this replan (scope rule: ${show(from)})`;
  if (JSON.stringify(from) === JSON.stringify(to)) return `${label} kept at ${show(to)} for this replan (as the scope rule)`;
  return `${label} set to ${show(to)} for this replan (scope rule: ${show(from)})`;
}

/**
 * One line per overridden rule, in a merchandiser's words, for the plan's summary and the run's
 * line: "monthly opening budget raised to 120,000 for this replan (scope rule: 100,000)".
 */
export function describeRuleOverrides(rules: ScopeRules, overrides: RuleOverrides | null | undefined): string[] {
  const lines: string[] = [];
  const stored = rules as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === undefined) continue;
    const label = LABELS[k] ?? k;
    const base = stored[k];
    if (isPlainObject(v)) {
      for (const [f, fv] of Object.entries(v)) if (fv !== undefined) lines.push(change(`${label} ${f}`, isPlainObject(base) ? base[f] : undefined, fv));
    } else lines.push(change(label, base, v));
  }
  return lines;
}

/**
 * What an override names that the scope does not have: categories of its cadence, promotions and
 * candidates of its rides. The plan activity checks this against the rows it plans with (an
 * override from the CLI reaches it without the API's check); empty when all are known.
 */
export function unknownOverrideReferences(
  overrides: RuleOverrides | null | undefined,
  known: { scopeId: string; categories: readonly string[]; promotions: readonly string[]; candidateIds: readonly string[] },
): string[] {
  const problems: string[] = [];
  const missing = (names: readonly string[], have: readonly string[]) => [...new Set(names.filter((n) => !have.includes(n)))];
  const cats = missing((overrides?.cadence ?? []).map((c) => c.category), known.categories);
  if (cats.length) problems.push(`ruleOverrides.cadence names categories outside ${known.scopeId}: ${cats.join(', ')}`);
  const rides = overrides?.promotionRides ?? [];
  const promos = missing(rides.map((r) => r.promotion), known.promotions);
  if (promos.length) problems.push(`ruleOverrides.promotionRides names promotions the scope's region does not have: ${promos.join(', ')}`);
  const candidates = missing(rides.flatMap((r) => r.candidateIds), known.candidateIds);
  if (candidates.length) problems.push(`ruleOverrides.promotionRides names candidates that are not in ${known.scopeId}: ${candidates.join(', ')}`);
  return problems;
}
