/**
 * What the generator returns: rows ready for the database (Drizzle insert types) plus the
 * ground truth that produced them, so accuracy benchmarks and the KPI simulator can score
 * forecasts and plans against the real demand, not against censored sales.
 */
import type {
  CandidateInsert,
  CompetitorEventInsert,
  IndicatorInsert,
  InventoryInsert,
  ProductInsert,
  PromotionInsert,
  SalesInsert,
  ScopeInsert,
} from '../../db/repositories/marketplace.repository.js';
import type { FestivalName } from './festivals.js';
import type { Tier } from './catalogue.js';
import type { LaunchCurve } from './curves.js';
import type { PrelaunchSignalInsert } from '../../db/repositories/prelaunch-signals.repository.js';
import type { PrelaunchSignalTruth } from './signals.js';

export interface MarketplaceOptions {
  seed: number;
  /** Region names; default east, west, north, south. */
  regions?: string[];
  /** Catalogue group, the first half of each scope id. Default 'electronics'. */
  group?: string;
  /** Existing products per category (each sold in every region). Default 40. */
  productsPerCategory?: number;
  /**
   * Products of a category in one product line: a product loses share only to newer products
   * of its own line and subcategory. 0 (default) makes the whole category one line, as a
   * catalogue of tens of products is. A large catalogue (thousands of products a category,
   * e.g. bench:scale) sets it to about the default catalogue's size, so each line's demand
   * looks like the default marketplace's and generation stays linear in the product count.
   */
  productLineSize?: number;
  /** Candidate new products per scope (region). Default 30. */
  candidatesPerScope?: number;
  /** Weeks of sales history ending at `asOf`. Default 160 (a little over 3 years). */
  weeks?: number;
  /** Last week of history, an ISO Monday. Default 2026-11-23. */
  asOf?: string;
  /** Planning horizon in weeks after `asOf` (26–52 is typical). Default 52. */
  horizonWeeks?: number;
}

export interface Marketplace {
  options: Required<MarketplaceOptions>;
  /** First week of sales history. */
  historyStart: string;
  scopes: ScopeInsert[];
  products: ProductInsert[];
  candidates: CandidateInsert[];
  sales: SalesInsert[];
  indicators: IndicatorInsert[];
  inventory: InventoryInsert[];
  competitorEvents: CompetitorEventInsert[];
  promotions: PromotionInsert[];
  /** Pre-launch interest of past launches and candidates (signals.ts); drawn from its own streams. */
  prelaunchSignals: PrelaunchSignalInsert[];
  truth: GroundTruth;
}

export interface ProductTruth {
  sku: string;
  category: string;
  subcategory: string;
  tier: Tier;
  brandStrength: number;
  launchWeek: string;
  curve: LaunchCurve;
  /** Demand scale per region (region factor × product's regional affinity). */
  regionFactors: Record<string, number>;
  /** Share this product takes from each older, similarly priced sibling once fully ramped. */
  cannibalisationRate: number;
  /** Weeks after launch when the product is delisted (sales stop). */
  delistAge: number;
  leadTimeWeeks: number;
}

export interface CandidateTruth {
  id: string;
  scopeId: string;
  region: string;
  category: string;
  subcategory: string;
  tier: Tier;
  brandStrength: number;
  curve: LaunchCurve;
  regionFactor: number;
  cannibalisationRate: number;
}

export interface PromotionTruth {
  name: string;
  region: string;
  category: string | null;
  kind: 'promotion' | 'festival';
  startWeek: string;
  endWeek: string;
  discount: number;
  /** True demand multiplier while it runs (festivals: see `festivals`). */
  uplift: number;
}

export interface FestivalTruth {
  name: FestivalName;
  year: number;
  date: string;
  week: string;
  /** True multiplier by category, region and week offset from `week` (`multipliers.phones.east[0]`). */
  multipliers: Record<string, Record<string, Record<number, number>>>;
}

export interface CompetitorEventTruth {
  competitor: string;
  category: string;
  region: string;
  week: string;
  /** Share of category demand taken in the launch week, fading with a 3-week time constant. */
  impact: number;
  /** False for events after the announcement cut-off (in the truth only, not in the table). */
  announced: boolean;
}

/** Every multiplicative effect on a category in a region in one week (history and horizon). */
export interface WeeklyMultipliers {
  category: string;
  region: string;
  week: string;
  trend: number;
  seasonal: number;
  festival: number;
  market: number;
  competitor: number;
}

/** A launch of a candidate, used to apply cannibalisation in what-if demand. */
export interface CandidateLaunch {
  candidateId: string;
  launchWeek: string;
}

export interface DemandOptions {
  /** Other candidates launched (a plan); newer launches in the same subcategory take share. */
  launches?: CandidateLaunch[];
  /** Include promotion uplift from the promotions calendar. Default true. */
  promotions?: boolean;
}

export interface GroundTruth {
  seed: number;
  historyStart: string;
  asOf: string;
  /** Last week the truth covers (asOf + horizon + a year, so curves after late launches exist). */
  truthEnd: string;
  regionFactors: Record<string, number>;
  brandStrength: Record<string, Record<string, number>>;
  products: Record<string, ProductTruth>;
  candidates: Record<string, CandidateTruth>;
  promotions: PromotionTruth[];
  festivals: FestivalTruth[];
  competitorEvents: CompetitorEventTruth[];
  /** How weekly demand is drawn around its expected value (`realized` in `salesDemand`). */
  noise: { distribution: 'negative_binomial'; shape: number };
  /** What produced each item's pre-launch signals (signals.ts), by sku or candidate id. */
  prelaunchSignals: Record<string, PrelaunchSignalTruth>;
  /** Weeks by which each indicator leads the latent market it measures. */
  indicatorLeads: Record<string, number>;
  /** Per category × region × week, history through `truthEnd`. */
  weeklyMultipliers: WeeklyMultipliers[];
  /**
   * True demand behind each sales row, aligned by index with `Marketplace.sales`:
   * `expected` is the mean, `realized` the drawn demand before censoring (sales = min(realized,
   * on hand)), `cannibalisation` the multiplier from newer siblings that week.
   */
  salesDemand: { expected: number[]; realized: number[]; cannibalisation: number[] };
  /** The truth behind one sales row, or undefined when the product did not sell there that week. */
  demandAt(sku: string, region: string, week: string): { expected: number; realized: number } | undefined;
  /**
   * True expected weekly units of a candidate in its scope's region, for `weeks` weeks from
   * `launchWeek` (an ISO Monday; index 0 = launch week). Finite and positive.
   */
  candidateDemand(candidateId: string, launchWeek: string, weeks: number, options?: DemandOptions): number[];
  /**
   * True expected weekly units of an existing product from `fromWeek`, given candidate
   * launches that may cannibalise it. Zero outside its life.
   */
  productDemand(sku: string, region: string, fromWeek: string, weeks: number, options?: DemandOptions): number[];
}
