/**
 * The shape of the synthetic electronics marketplace: categories, subcategories, brands,
 * price ranges, and launch-curve parameter ranges by category and price tier. Numbers are
 * plausible weekly units for one region of a mid-sized marketplace, not measured facts.
 */
import type { FestivalName } from './festivals.js';

export type Tier = 'budget' | 'mid' | 'premium';
export const TIERS: readonly Tier[] = ['budget', 'mid', 'premium'];

export type Range = readonly [number, number];

export interface TierCurveRanges {
  /** Peak weekly units in a region with factor 1, before brand, price and attribute effects. */
  peak: number;
  rampWeeks: Range;
  plateauWeeks: Range;
  /** Weekly exponential decay rate after the plateau. */
  decayRate: Range;
  /** Launch-week hype spike as a fraction of peak, fading over ~2 weeks. */
  hype: Range;
}

export interface SubcategorySpec {
  name: string;
  /** List price range in currency units; tiers split it in thirds on a log scale. */
  price: Range;
  /** Volume multiplier relative to the category. */
  volume: number;
}

export interface CategorySpec {
  name: string;
  skuPrefix: string;
  subcategories: SubcategorySpec[];
  brands: string[];
  /** Gross margin range (1 - unit cost / price). */
  margin: Range;
  /** Supplier lead time range in weeks. */
  leadTimeWeeks: Range;
  /** Minimum order quantity choices for new candidates. */
  moq: readonly number[];
  curves: Record<Tier, TierCurveRanges>;
  /** Yearly seasonality: log-amplitudes and peak phases (fraction of year) of two harmonics. */
  season: { a1: number; phase1: number; a2: number; phase2: number };
  /** Log growth per year. */
  trendPerYear: number;
  /** Multiplier on the log of every festival effect (how festival-driven the category is). */
  festivalSensitivity: number;
  /** Promotion uplift = exp(promoElasticity × discount). */
  promoElasticity: number;
  /** Elasticity of peak volume to price relative to the subcategory's geometric mid price. */
  priceElasticity: number;
}

export const CATEGORIES: readonly CategorySpec[] = [
  {
    name: 'phones',
    skuPrefix: 'PH',
    subcategories: [
      { name: 'smartphones', price: [149, 1299], volume: 1 },
      { name: 'foldables', price: [899, 1999], volume: 0.35 },
      { name: 'rugged_phones', price: [199, 699], volume: 0.25 },
    ],
    brands: ['Nova', 'Apex', 'Lumen', 'Orbit', 'Kestrel', 'Zephyr'],
    margin: [0.12, 0.35],
    leadTimeWeeks: [2, 6],
    moq: [300, 500, 1000],
    curves: {
      budget: { peak: 220, rampWeeks: [3, 6], plateauWeeks: [8, 20], decayRate: [0.03, 0.06], hype: [0, 0] },
      mid: { peak: 150, rampWeeks: [2, 5], plateauWeeks: [10, 24], decayRate: [0.025, 0.05], hype: [0, 0.25] },
      premium: { peak: 95, rampWeeks: [1, 2], plateauWeeks: [12, 30], decayRate: [0.02, 0.04], hype: [0.3, 0.8] },
    },
    season: { a1: 0.12, phase1: 0.72, a2: 0.05, phase2: 0.95 },
    trendPerYear: 0.03,
    festivalSensitivity: 1,
    promoElasticity: 3.5,
    priceElasticity: 0.6,
  },
  {
    name: 'tablets',
    skuPrefix: 'TB',
    subcategories: [
      { name: 'android_tablets', price: [119, 699], volume: 1 },
      { name: 'pro_tablets', price: [599, 1499], volume: 0.5 },
      { name: 'e_readers', price: [89, 349], volume: 0.45 },
    ],
    brands: ['Nova', 'Apex', 'Slate', 'Orbit', 'Inkwell'],
    margin: [0.15, 0.38],
    leadTimeWeeks: [3, 7],
    moq: [200, 300, 500],
    curves: {
      budget: { peak: 85, rampWeeks: [3, 6], plateauWeeks: [12, 28], decayRate: [0.02, 0.04], hype: [0, 0] },
      mid: { peak: 60, rampWeeks: [3, 6], plateauWeeks: [12, 30], decayRate: [0.02, 0.04], hype: [0, 0.15] },
      premium: { peak: 40, rampWeeks: [1, 3], plateauWeeks: [14, 32], decayRate: [0.015, 0.035], hype: [0.2, 0.5] },
    },
    season: { a1: 0.15, phase1: 0.95, a2: 0.04, phase2: 0.65 },
    trendPerYear: -0.03,
    festivalSensitivity: 1,
    promoElasticity: 3,
    priceElasticity: 0.7,
  },
  {
    name: 'laptops',
    skuPrefix: 'LT',
    subcategories: [
      { name: 'ultrabooks', price: [699, 2199], volume: 1 },
      { name: 'gaming_laptops', price: [899, 2999], volume: 0.6 },
      { name: 'business_laptops', price: [599, 1899], volume: 0.8 },
      { name: 'chromebooks', price: [199, 549], volume: 0.5 },
    ],
    brands: ['Apex', 'Vertex', 'Quill', 'Orbit', 'Titan'],
    margin: [0.1, 0.28],
    leadTimeWeeks: [4, 10],
    moq: [100, 200, 300],
    curves: {
      budget: { peak: 55, rampWeeks: [4, 8], plateauWeeks: [16, 36], decayRate: [0.015, 0.035], hype: [0, 0] },
      mid: { peak: 42, rampWeeks: [4, 8], plateauWeeks: [16, 36], decayRate: [0.015, 0.035], hype: [0, 0.1] },
      premium: { peak: 26, rampWeeks: [2, 6], plateauWeeks: [18, 40], decayRate: [0.012, 0.03], hype: [0, 0.25] },
    },
    season: { a1: 0.18, phase1: 0.66, a2: 0.08, phase2: 0.97 },
    trendPerYear: 0,
    festivalSensitivity: 0.9,
    promoElasticity: 3,
    priceElasticity: 0.8,
  },
  {
    name: 'accessories',
    skuPrefix: 'AC',
    subcategories: [
      { name: 'chargers', price: [15, 89], volume: 1.3 },
      { name: 'headphones', price: [29, 449], volume: 1 },
      { name: 'cases', price: [9, 59], volume: 1.5 },
      { name: 'smartwatches', price: [79, 599], volume: 0.5 },
    ],
    brands: ['Pulse', 'Volt', 'Nova', 'Echo', 'Shield', 'Apex'],
    margin: [0.3, 0.6],
    leadTimeWeeks: [2, 5],
    moq: [500, 1000, 2000],
    curves: {
      budget: { peak: 420, rampWeeks: [2, 6], plateauWeeks: [20, 52], decayRate: [0.01, 0.03], hype: [0, 0] },
      mid: { peak: 260, rampWeeks: [2, 6], plateauWeeks: [20, 52], decayRate: [0.01, 0.03], hype: [0, 0] },
      premium: { peak: 120, rampWeeks: [1, 4], plateauWeeks: [16, 40], decayRate: [0.015, 0.035], hype: [0, 0.3] },
    },
    season: { a1: 0.2, phase1: 0.96, a2: 0.05, phase2: 0.45 },
    trendPerYear: 0.06,
    festivalSensitivity: 1.1,
    promoElasticity: 3.2,
    priceElasticity: 0.5,
  },
];

/** Default regions and their demand scale. */
export const DEFAULT_REGIONS = ['east', 'west', 'north', 'south'] as const;
export const REGION_FACTORS: Readonly<Record<string, number>> = { east: 1.3, south: 1.1, north: 0.9, west: 0.7 };

/**
 * Festival effects on log demand by week offset from the festival week, before the
 * category's sensitivity. Pre-festival dips are shoppers waiting for the discount; the
 * Spring Festival week itself drops because logistics pause.
 */
export const FESTIVAL_EFFECTS: Readonly<Record<FestivalName, Readonly<Record<number, number>>>> = {
  spring_festival: { [-2]: 1.12, [-1]: 1.25, 0: 0.62, 1: 0.82 },
  '618': { [-1]: 0.9, 0: 1.9, 1: 1.05 },
  double_11: { [-2]: 0.92, [-1]: 0.85, 0: 2.4, 1: 1.1 },
  black_friday: { 0: 1.35, 1: 1.12 },
};

/** Site-wide discount of each festival's promotion row. */
export const FESTIVAL_DISCOUNTS: Readonly<Record<FestivalName, number>> = {
  spring_festival: 0.05,
  '618': 0.12,
  double_11: 0.15,
  black_friday: 0.1,
};

export interface CompetitorSpec {
  name: string;
  /** Launch timing habit: weeks before a festival, or spread through the year. */
  tendency: 'pre_festival' | 'autumn' | 'spread';
  categories: readonly string[];
  launchesPerYear: number;
  /** Share of demand taken from the category in launch week (fades over ~4 weeks). */
  impact: Range;
}

export const COMPETITORS: readonly CompetitorSpec[] = [
  { name: 'MegaMart Own Brand', tendency: 'pre_festival', categories: ['phones', 'tablets', 'accessories'], launchesPerYear: 3, impact: [0.02, 0.06] },
  { name: 'Cupertino Co', tendency: 'autumn', categories: ['phones', 'tablets', 'laptops', 'accessories'], launchesPerYear: 2, impact: [0.05, 0.12] },
  { name: 'ShenTech', tendency: 'pre_festival', categories: ['phones', 'laptops', 'accessories'], launchesPerYear: 4, impact: [0.03, 0.08] },
  { name: 'Borealis Devices', tendency: 'spread', categories: ['laptops', 'tablets'], launchesPerYear: 2, impact: [0.02, 0.05] },
];
