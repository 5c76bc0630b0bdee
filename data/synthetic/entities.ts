/**
 * Drawing products and candidates: price, tier, brand, attributes and the true launch curve.
 * Existing products and candidates come from the same process, so a model that learns the
 * link between attributes and curves on the catalogue can transfer it to the candidates.
 */
import { CATEGORIES, TIERS, type CategorySpec, type SubcategorySpec, type Tier } from './catalogue.js';
import type { LaunchCurve } from './curves.js';
import type { Rng } from './random.js';

export interface DrawnItem {
  category: CategorySpec;
  subcategory: SubcategorySpec;
  brand: string;
  tier: Tier;
  price: number;
  unitCost: number;
  name: string;
  attributes: Record<string, string | number>;
  curve: LaunchCurve;
  cannibalisationRate: number;
  leadTimeWeeks: number;
}

const TIER_PEAK_SHAPE: Record<Tier, [number, number]> = { budget: [1.2, 2], mid: [0.9, 1.6], premium: [0.6, 1.2] };
const SUBCAT_LABEL: Record<string, string[]> = {
  smartphones: ['S', 'X', 'Neo', 'Lite'],
  foldables: ['Fold', 'Flip'],
  rugged_phones: ['Tough', 'Terra'],
  android_tablets: ['Tab', 'Pad'],
  pro_tablets: ['Tab Pro', 'Pad Pro'],
  e_readers: ['Paper', 'Read'],
  ultrabooks: ['Air', 'Book'],
  gaming_laptops: ['Strike', 'Fury'],
  business_laptops: ['Pro', 'Work'],
  chromebooks: ['Chrome', 'Edu'],
  chargers: ['Charge', 'Power'],
  headphones: ['Buds', 'Sound'],
  cases: ['Guard', 'Shell'],
  smartwatches: ['Watch', 'Band'],
};

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Price rounded the way shops do: ends in .99 (or 9.99 over 100). */
function shelfPrice(x: number): number {
  if (x >= 100) return Math.max(9.99, Math.round(x / 10) * 10 - 0.01);
  return Math.max(0.99, Math.round(x) - 0.01);
}

function tierOf(sub: SubcategorySpec, price: number): Tier {
  const pos = (Math.log(price) - Math.log(sub.price[0])) / (Math.log(sub.price[1]) - Math.log(sub.price[0]));
  return pos < 1 / 3 ? 'budget' : pos < 2 / 3 ? 'mid' : 'premium';
}

function attributesFor(category: CategorySpec, tier: Tier, rng: Rng, generation: number): { attrs: Record<string, string | number>; effect: number } {
  const t = TIERS.indexOf(tier);
  switch (category.name) {
    case 'phones': {
      const storage = [64, 128, 256, 512][Math.min(3, t + rng.int(0, 1))];
      const fiveG = t > 0 || rng.chance(0.5) ? 'yes' : 'no';
      const camera = [48, 50, 108, 200][Math.min(3, t + rng.int(0, 1))];
      return {
        attrs: { storage_gb: storage, screen_in: round2(rng.uniform(6.1, 6.9)), camera_mp: camera, five_g: fiveG },
        effect: Math.pow(storage / 128, 0.08) * (fiveG === 'yes' ? 1.1 : 1),
      };
    }
    case 'tablets': {
      const storage = [32, 64, 128, 256][Math.min(3, t + rng.int(0, 1))];
      return { attrs: { storage_gb: storage, screen_in: round2(rng.uniform(7.8, 12.9)), cellular: rng.chance(0.3) ? 'yes' : 'no' }, effect: Math.pow(storage / 64, 0.06) };
    }
    case 'laptops': {
      const ram = [8, 16, 16, 32][Math.min(3, t + rng.int(0, 1))];
      const cpu = ['entry', 'mainstream', 'performance'][t];
      return {
        attrs: { ram_gb: ram, storage_gb: ram * 32, screen_in: rng.pick([13.3, 14, 15.6, 16]), cpu_tier: cpu },
        effect: Math.pow(ram / 16, 0.1),
      };
    }
    default: {
      const wireless = rng.chance(0.4 + 0.2 * t) ? 'yes' : 'no';
      return { attrs: { wireless, colour_options: rng.int(1, 6), generation }, effect: (wireless === 'yes' ? 1.15 : 1) * (1 + 0.03 * Number(rng.int(0, 4))) };
    }
  }
}

export function drawItem(input: { rng: Rng; category: CategorySpec; brandStrength: Record<string, number>; year: number; serial: number }): DrawnItem {
  const { rng, category } = input;
  const weights = category.subcategories.map((s) => s.volume);
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  let subcategory = category.subcategories[0];
  for (const s of category.subcategories) {
    u -= s.volume;
    if (u <= 0) {
      subcategory = s;
      break;
    }
  }
  const brand = rng.pick(category.brands);
  const price = shelfPrice(rng.logUniform(subcategory.price[0], subcategory.price[1]));
  const tier = tierOf(subcategory, price);
  const margin = rng.uniform(category.margin[0], category.margin[1]) + (tier === 'premium' ? 0.05 : 0);
  const unitCost = round2(price * (1 - margin));
  const ranges = category.curves[tier];
  const { attrs, effect } = attributesFor(category, tier, rng, input.year);
  // Within-tier price effect, relative to the tier's geometric centre.
  const [lo, hi] = subcategory.price;
  const tierIndex = TIERS.indexOf(tier);
  const tierMid = Math.exp(Math.log(lo) + ((tierIndex + 0.5) / 3) * (Math.log(hi) - Math.log(lo)));
  const strength = input.brandStrength[brand] ?? 1;
  const peak =
    ranges.peak * subcategory.volume * strength * Math.pow(price / tierMid, -category.priceElasticity) * effect * rng.lognormal(1, 0.3);
  const [shapeLo, shapeHi] = TIER_PEAK_SHAPE[tier];
  const curve: LaunchCurve = {
    peak: round2(peak),
    rampWeeks: rng.int(ranges.rampWeeks[0], ranges.rampWeeks[1]),
    rampShape: round2(rng.uniform(shapeLo, shapeHi)),
    plateauWeeks: rng.int(ranges.plateauWeeks[0], ranges.plateauWeeks[1]),
    decayRate: Math.round(rng.uniform(ranges.decayRate[0], ranges.decayRate[1]) * 10000) / 10000,
    hype: round2(rng.uniform(ranges.hype[0], ranges.hype[1])),
  };
  const label = rng.pick(SUBCAT_LABEL[subcategory.name] ?? [subcategory.name]);
  const suffix = tier === 'premium' ? ' Ultra' : tier === 'budget' ? ' Go' : '';
  const name = `${brand} ${label} ${(input.year % 100) + input.serial % 7}${suffix}`;
  return {
    category,
    subcategory,
    brand,
    tier,
    price,
    unitCost,
    name,
    attributes: { tier, ...attrs },
    curve,
    cannibalisationRate: round2(rng.uniform(0.1, 0.35)),
    leadTimeWeeks: rng.int(category.leadTimeWeeks[0], category.leadTimeWeeks[1]),
  };
}

/** Hidden brand strength per category: a volume multiplier the models must learn from history. */
export function drawBrandStrength(rng: Rng, categories: readonly CategorySpec[] = CATEGORIES): Record<string, Record<string, number>> {
  return Object.fromEntries(
    categories.map((c) => [c.name, Object.fromEntries(c.brands.map((b) => [b, round2(rng.lognormal(1, 0.3))]))]),
  );
}

/** How much a newer item takes from an older one: full at equal price, fading with the price gap. */
export function priceSimilarity(a: number, b: number): number {
  return Math.exp(-Math.abs(Math.log(a / b)) / 0.4);
}
