import { z } from 'zod';
import { MODEL_NAMES } from '../engine/forecast/index.js';
import { CLOSED_LOOP_DEFAULTS, CURVE_SPREAD_SCALE_BOUNDS, REPLENISHMENT_BOUNDS } from '../engine/replenishment/index.js';

/**
 * The in-season reorder policy of launched items (engine/replenishment): periodic review every
 * `reviewPeriodWeeks`, order-up-to level at `serviceLevel` of the demand over lead time + review,
 * whole `casePack`s, the candidate's MOQ. The defaults of the closed loop's settings are
 * engine/replenishment CLOSED_LOOP_DEFAULTS, which the KPI simulation's closed-loop policy
 * (engine/simulation DEFAULT_POLICY_CONFIG) is built from too, so the adjust stage and the plan's
 * opening run what `bench:kpi` measures.
 */
const SL = REPLENISHMENT_BOUNDS.serviceLevel;
export const replenishmentRulesSchema = z
  .object({
    serviceLevel: z.number().min(SL.min).max(SL.max).default(CLOSED_LOOP_DEFAULTS.serviceLevel),
    /**
     * Service level of the opening order when `opening` is 'lead-time-and-review', below the
     * in-season one: decided before any sale, and the first reorder restores what it lacks.
     */
    openingServiceLevel: z.number().min(SL.min).max(SL.max).default(CLOSED_LOOP_DEFAULTS.openingServiceLevel),
    /** Launch curves' sd times this wherever the closed loop reads them (opening, reorders, curve update). */
    curveSpreadScale: z.number().min(CURVE_SPREAD_SCALE_BOUNDS.min).max(CURVE_SPREAD_SCALE_BOUNDS.max).default(CLOSED_LOOP_DEFAULTS.curveSpreadScale),
    /** Risk margin an MOQ batch past the rest-of-season cap must clear (0: placed whenever it pays in expectation). */
    moqBatchHurdle: z.number().min(REPLENISHMENT_BOUNDS.moqBatchHurdle.min).max(REPLENISHMENT_BOUNDS.moqBatchHurdle.max).default(CLOSED_LOOP_DEFAULTS.moqBatchHurdle),
    reviewPeriodWeeks: z.number().int().min(REPLENISHMENT_BOUNDS.reviewWeeks.min).max(REPLENISHMENT_BOUNDS.reviewWeeks.max).default(CLOSED_LOOP_DEFAULTS.reviewWeeks),
    casePack: z.number().int().min(1).max(100_000).default(1),
    /** Supplier lead time of reorders for every item of the scope; unset: each candidate's own `lead_time_weeks`. */
    leadTimeWeeks: z.number().int().min(REPLENISHMENT_BOUNDS.leadTimeWeeks.min).max(REPLENISHMENT_BOUNDS.leadTimeWeeks.max).optional(),
    /**
     * What a planned launch's opening order covers. 'coverage' (default, as before reorders
     * existed): the whole `coverageWeeks` at the newsvendor quantity. 'lead-time-and-review': only
     * the candidate's lead time plus the first review period at `openingServiceLevel` (capped at that
     * newsvendor quantity), since the adjust stage's reorders follow; budget and warehouse still
     * count the whole coverage (opening plus planned reorders): the budget charges the opening to
     * the launch month and the planned reorders to the months they are ordered.
     */
    opening: z.enum(['coverage', 'lead-time-and-review']).default('coverage'),
  })
  .strict();
export type ReplenishmentRules = z.infer<typeof replenishmentRulesSchema>;
export const DEFAULT_REPLENISHMENT_RULES: ReplenishmentRules = replenishmentRulesSchema.parse({});

/**
 * A scope's planning rules, stored in `scopes.rules` and edited through `PUT /scopes/:id/rules`.
 * Every field has a default, so `{}` is a valid rule set; unknown fields are rejected so a
 * typo never silently does nothing.
 */
export const scopeRulesSchema = z
  .object({
    planningWeeks: z.number().int().min(4).max(104).default(26),
    coverageWeeks: z.number().int().min(1).max(52).default(13),
    /**
     * 3 suits a scope launching ~80 products in 26 weeks; `launchloop import` sizes this and the
     * cadence of a new scope from its products' launch weeks instead (engine/planner/rule-sizing.ts)
     * and records how in `sizedFromHistory`.
     */
    maxLaunchesPerWeek: z.number().int().min(1).default(3),
    cadence: z
      .array(z.object({ category: z.string().min(1), maxLaunches: z.number().int().min(1), windowWeeks: z.number().int().min(1) }).strict())
      .default([]),
    /** Applied to every category without its own cadence entry. */
    defaultCadence: z.object({ maxLaunches: z.number().int().min(1), windowWeeks: z.number().int().min(1) }).strict().default({ maxLaunches: 2, windowWeeks: 4 }),
    minGapSimilarWeeks: z.number().int().min(1).default(2),
    /** Opening-stock spend cap per calendar month (one amount for every month), in currency. */
    monthlyBudget: z.number().positive().optional(),
    warehouseCapacityUnits: z.number().positive().optional(),
    /** Holding cost per unit-week as a fraction of unit cost. */
    holdingCostRate: z.number().min(0).max(1).default(0.004),
    promotionLeadWeeks: z.number().int().min(0).default(2),
    promotionRides: z.array(z.object({ promotion: z.string().min(1), candidateIds: z.array(z.string().min(1)).min(1) }).strict()).default([]),
    cannibalisation: z.object({ rate: z.number().min(0).max(1), windowWeeks: z.number().int().min(1) }).strict().default({ rate: 0.25, windowWeeks: 4 }),
    /**
     * How the planner spreads a launch curve's uncertainty over the coverage period: the
     * distribution of coverage demand and the correlation of weekly errors within a launch.
     * Default lognormal with the correlation 'auto': what the launch curves' model measured on
     * its held-out launches, else 1 (a new product's forecast error is mostly a level error
     * shared by every week; engine/planner/README.md).
     */
    demandUncertainty: z
      .object({
        distribution: z.enum(['lognormal', 'normal']).default('lognormal'),
        weeklyCorrelation: z.union([z.number().min(0).max(1), z.literal('auto')]).default('auto'),
      })
      .strict()
      .default({ distribution: 'lognormal', weeklyCorrelation: 'auto' }),
    /** Cost of one expected stock-out event, as a multiple of the item's unit margin × weekly demand. */
    stockoutCostWeeks: z.number().min(0).default(2),
    /** Competitor clash: weeks either side of a competitor launch that count as a clash. */
    clashWindowWeeks: z.number().int().min(0).default(1),
    /** Cold-start LSTM training settings (engine/lstm DEFAULT_HYPER fills the rest). */
    coldStart: z
      .object({
        epochs: z.number().int().min(1).max(10_000).optional(),
        units: z.number().int().min(1).max(1024).optional(),
        hidden: z.number().int().min(1).max(4096).optional(),
        patience: z.number().int().min(1).optional(),
        seed: z.number().int().min(0).optional(),
        checkpointEvery: z.number().int().min(1).default(2),
        /**
         * Whether the market indicators are model inputs (as momentum, see engine/coldstart/
         * covariates.ts). Off by default: with a scope's ~80 launches they made the simulated
         * launch curves worse at 1 of 3 seeds (WAPE 0.49 → 0.58); promotions and festivals are
         * always read.
         */
        indicators: z.boolean().default(false),
      })
      .strict()
      .default({ checkpointEvery: 2, indicators: false }),
    forecastModel: z.enum(MODEL_NAMES).default('auto'),
    /**
     * The adjust stage's reorders (activities/adjust.activities.ts): a proposed reorder whose value
     * at unit cost is above this amount (currency) waits as `pending` for a merchandiser's
     * approval (`POST /reorders/{id}/approve`); smaller ones are `published` at once. 0 sends
     * every reorder for approval.
     */
    reorderApprovalLimit: z.number().min(0).default(5_000),
    /**
     * Early replan: when a launched item's tracking signal (cumulative forecast error / mean
     * absolute error of its launch curve over the weeks sold) is beyond ± this limit, the
     * curves are biased and the candidates not yet launched are replanned at once instead of
     * waiting for the next cycle. 4 is the classic control limit (Brown 1959); a signal can
     * only exceed it after 5 observed weeks.
     */
    trackingSignalLimit: z.number().positive().max(100).default(4),
    /** The reorder policy of launched items (and, with `opening`, how big planned opening orders are). */
    replenishment: replenishmentRulesSchema.default(DEFAULT_REPLENISHMENT_RULES),
    /**
     * Set by the import when it sized maxLaunchesPerWeek and the cadence from the history: what
     * they were measured on. The plan's summary repeats it; remove it when editing those rules.
     */
    sizedFromHistory: z.string().max(2000).optional(),
    solver: z
      .object({ timeLimitSeconds: z.number().positive().max(3600).default(20), gapTarget: z.number().min(0).max(1).default(0.01) })
      .strict()
      .default({ timeLimitSeconds: 20, gapTarget: 0.01 }),
  })
  .strict();

export type ScopeRules = z.infer<typeof scopeRulesSchema>;

/** Human-readable issues: `cadence[0].maxLaunches: Too small: expected number to be >=1`. */
export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
}
