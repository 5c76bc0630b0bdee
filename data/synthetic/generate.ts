/**
 * generateMarketplace: a deterministic synthetic electronics marketplace with its ground
 * truth. Demand for a product in a region and week is
 *
 *   peak × lifeCycle(age) × regionFactor × trend × seasonal × festival × market × competitor
 *        × promotionUplift × cannibalisation(newer siblings)
 *
 * drawn as a negative binomial count and censored by the stock a simple order-up-to policy
 * (which under-anticipates festivals and suffers occasional supplier shortfalls) had on hand.
 */
import { addWeeks, isMonday, weekSequence, weeksBetween } from '../../engine/calendar/index.js';
import { CATEGORIES, DEFAULT_REGIONS } from './catalogue.js';
import { delistAge, lifeCycle, rampShare, type LaunchCurve } from './curves.js';
import { drawBrandStrength, drawItem, priceSimilarity } from './entities.js';
import { INDICATOR_LEADS, buildMarket, type MarketModel, type Timeline } from './market.js';
import { stream } from './random.js';
import { categoryTraffic, drawSignals, type PrelaunchSignalTruth, type SignalItem } from './signals.js';
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
import type {
  CandidateTruth,
  DemandOptions,
  GroundTruth,
  Marketplace,
  MarketplaceOptions,
  ProductTruth,
  WeeklyMultipliers,
} from './types.js';

export const DEFAULT_OPTIONS: Omit<Required<MarketplaceOptions>, 'seed'> = {
  regions: [...DEFAULT_REGIONS],
  group: 'electronics',
  productsPerCategory: 40,
  productLineSize: 0,
  candidatesPerScope: 30,
  weeks: 160,
  asOf: '2026-11-23',
  horizonWeeks: 52,
};

/** Something that sells: an existing product, or a candidate placed at a launch week. */
interface Seller {
  key: string;
  ci: number;
  /** Product line within the category (existing products; candidates belong to none). */
  line?: number;
  subcategory: string;
  price: number;
  curve: LaunchCurve;
  launchIndex: number;
  delist: number;
  rate: number;
  /** Demand scale by region index (candidates: only their own region is non-zero). */
  regionFactors: number[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Negative-binomial shape of weekly demand: variance = mean + mean² / shape. */
const DEMAND_SHAPE = 12;

function resolveOptions(options: MarketplaceOptions): Required<MarketplaceOptions> {
  const o = { ...DEFAULT_OPTIONS, ...stripUndefined(options) } as Required<MarketplaceOptions>;
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!isMonday(o.asOf)) throw new RangeError(`asOf must be an ISO Monday date, got "${o.asOf}"`);
  if (!Number.isInteger(o.weeks) || o.weeks < 60) throw new RangeError(`weeks must be an integer ≥ 60, got ${o.weeks}`);
  if (!Number.isInteger(o.horizonWeeks) || o.horizonWeeks < 8 || o.horizonWeeks > 104)
    throw new RangeError(`horizonWeeks must be an integer in 8..104, got ${o.horizonWeeks}`);
  if (!Number.isInteger(o.productsPerCategory) || o.productsPerCategory < 1) throw new RangeError('productsPerCategory must be ≥ 1');
  if (!Number.isInteger(o.productLineSize) || o.productLineSize < 0) throw new RangeError('productLineSize must be an integer ≥ 0');
  if (!Number.isInteger(o.candidatesPerScope) || o.candidatesPerScope < 0) throw new RangeError('candidatesPerScope must be ≥ 0');
  if (o.regions.length === 0 || new Set(o.regions).size !== o.regions.length) throw new RangeError('regions must be non-empty and distinct');
  for (const r of o.regions) if (!/^[a-z][a-z0-9_-]*$/.test(r)) throw new RangeError(`region "${r}" must be lower-case letters, digits, _ or -`);
  return { ...o, regions: [...o.regions] };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Expected (mean) demand of a seller in a region and week, with cannibalisation by newer sellers. */
function expectedDemand(
  market: MarketModel,
  seller: Seller,
  ri: number,
  t: number,
  cannibalisers: readonly Seller[],
  promotions: boolean,
): { expected: number; cannibalisation: number } {
  const age = t - seller.launchIndex;
  if (age < 0 || age >= seller.delist) return { expected: 0, cannibalisation: 1 };
  let cannibalisation = 1;
  for (const s of cannibalisers) {
    const sAge = t - s.launchIndex;
    if (sAge < 0 || sAge >= s.delist) continue;
    cannibalisation *= 1 - s.rate * priceSimilarity(seller.price, s.price) * rampShare(s.curve, sAge);
  }
  const promo = promotions ? market.promoUplift(seller.ci, ri, t) : 1;
  const expected =
    seller.curve.peak * lifeCycle(seller.curve, age) * seller.regionFactors[ri] * market.multiplier(seller.ci, ri, t) * promo * cannibalisation;
  return { expected, cannibalisation };
}

export function generateMarketplace(options: MarketplaceOptions): Marketplace {
  const opts = resolveOptions(options);
  const { seed, regions, weeks, asOf, horizonWeeks } = opts;
  const categories = CATEGORIES;
  const historyStart = addWeeks(asOf, -(weeks - 1));
  // Truth runs a further two years past the horizon so late launches have full curves.
  const length = weeks + horizonWeeks + 104;
  const timeline: Timeline = { historyStart, asOf, asOfIndex: weeks - 1, length, weeks: weekSequence(historyStart, length) };
  const market = buildMarket({ seed, categories, regions, timeline, announceCompetitorsThrough: addWeeks(asOf, 4) });
  const brandStrength = drawBrandStrength(stream(seed, 'brands'), categories);
  const nr = regions.length;

  // Existing products.
  const products: ProductInsert[] = [];
  const productTruth: Record<string, ProductTruth> = {};
  const sellers: Seller[] = [];
  categories.forEach((category, ci) => {
    for (let k = 0; k < opts.productsPerCategory; k++) {
      const rng = stream(seed, `product:${category.name}:${k}`);
      const item = drawItem({ rng, category, brandStrength: brandStrength[category.name], year: Number(historyStart.slice(0, 4)), serial: k });
      const delist = delistAge(item.curve);
      // Launches spread evenly, early enough that every product sells at least 8 weeks of history.
      const launchIndex = rng.int(-Math.min(104, delist - 8), weeks - 3);
      const sku = `${category.skuPrefix}-${String(k + 1).padStart(4, '0')}`;
      const launchWeek = addWeeks(historyStart, launchIndex);
      const regionFactors = regions.map((r) => round2(market.regionFactors[r] * rng.lognormal(1, 0.15)));
      products.push({
        sku,
        name: item.name,
        category: category.name,
        subcategory: item.subcategory.name,
        brand: item.brand,
        price: item.price,
        unitCost: item.unitCost,
        launchWeek,
        attributes: item.attributes,
      });
      productTruth[sku] = {
        sku,
        category: category.name,
        subcategory: item.subcategory.name,
        tier: item.tier,
        brandStrength: brandStrength[category.name][item.brand],
        launchWeek,
        curve: item.curve,
        regionFactors: Object.fromEntries(regions.map((r, ri) => [r, regionFactors[ri]])),
        cannibalisationRate: item.cannibalisationRate,
        delistAge: delist,
        leadTimeWeeks: item.leadTimeWeeks,
      };
      sellers.push({
        key: sku,
        ci,
        line: opts.productLineSize > 0 ? Math.floor(k / opts.productLineSize) : 0,
        subcategory: item.subcategory.name,
        price: item.price,
        curve: item.curve,
        launchIndex,
        delist,
        rate: item.cannibalisationRate,
        regionFactors,
      });
    }
  });
  const sellerBySku = new Map(sellers.map((s) => [s.key, s]));
  // Newer siblings (same category, line and subcategory, later launch; ties broken by sku) take
  // share from older ones. Grouped first, so a large catalogue is not compared pairwise.
  const siblingGroups = new Map<string, Seller[]>();
  for (const s of sellers) {
    const group = `${s.ci}|${s.line}|${s.subcategory}`;
    const list = siblingGroups.get(group);
    if (list) list.push(s);
    else siblingGroups.set(group, [s]);
  }
  const newerSiblings = new Map<string, Seller[]>();
  for (const s of sellers)
    newerSiblings.set(
      s.key,
      siblingGroups.get(`${s.ci}|${s.line}|${s.subcategory}`)!.filter((o) => o.launchIndex > s.launchIndex || (o.launchIndex === s.launchIndex && o.key > s.key)),
    );

  // Sales and inventory, simulated week by week per product and region.
  const sales: SalesInsert[] = [];
  const inventory: InventoryInsert[] = [];
  const expectedCol: number[] = [];
  const realizedCol: number[] = [];
  const cannibalisationCol: number[] = [];
  for (const seller of sellers) {
    const truth = productTruth[seller.key];
    const L = truth.leadTimeWeeks;
    const first = Math.max(0, seller.launchIndex);
    const last = Math.min(weeks - 1, seller.launchIndex + seller.delist - 1);
    if (first > last) continue;
    const listPrice = seller.price;
    for (let ri = 0; ri < nr; ri++) {
      const rng = stream(seed, `stock:${seller.key}:${regions[ri]}`);
      const safety = rng.uniform(0.6, 1.5);
      // Planners see festivals and promotions coming but under-estimate them.
      const plannerView = (t: number) =>
        Math.pow(market.festival(seller.ci, ri, t), 0.8) * Math.pow(market.promoUplift(seller.ci, ri, t), 0.7);
      const baseline = (t: number) =>
        seller.curve.peak *
        Math.max(lifeCycle(seller.curve, t - seller.launchIndex), 0.05) *
        seller.regionFactors[ri] *
        market.trend(seller.ci, t) *
        market.seasonal(seller.ci, ri, t);
      const arrivals = new Float64Array(weeks + L + 2);
      let onHand: number;
      let onOrder = 0;
      let forecast: number;
      if (seller.launchIndex >= 0) {
        // A launch buy sized on a noisy guess of the plateau: too small means launch stock-outs.
        forecast = baseline(seller.launchIndex + seller.curve.rampWeeks) * rng.lognormal(0.9, 0.35);
        onHand = Math.round(forecast * (L + 1));
      } else {
        forecast = baseline(0) * rng.lognormal(1, 0.15);
        onHand = Math.round(forecast * (1 + safety));
        for (let j = 1; j < L && j < arrivals.length; j++) {
          arrivals[j] = Math.round(forecast);
          onOrder += arrivals[j];
        }
      }
      for (let t = first; t <= last; t++) {
        onHand += arrivals[t];
        onOrder -= arrivals[t];
        const available = onHand;
        const { expected, cannibalisation } = expectedDemand(market, seller, ri, t, newerSiblings.get(seller.key)!, true);
        const realized = rng.negBinomial(expected, DEMAND_SHAPE);
        const units = Math.min(realized, available);
        const stockout = realized > available;
        const age = t - seller.launchIndex;
        const markdown = 1 - Math.min(0.25, 0.003 * Math.max(0, age - seller.curve.rampWeeks - seller.curve.plateauWeeks));
        const discount = market.discount(seller.ci, ri, t);
        const week = timeline.weeks[t];
        sales.push({
          sku: seller.key,
          region: regions[ri],
          week,
          units,
          price: round2(listPrice * markdown * (1 - discount)),
          promo: discount > 0,
          stockout,
        });
        inventory.push({ sku: seller.key, region: regions[ri], week, onHand: available, onOrder: Math.max(0, onOrder) });
        expectedCol.push(expected);
        realizedCol.push(realized);
        cannibalisationCol.push(cannibalisation);
        onHand = available - units;
        // Exponential smoothing of de-seasonalised sales; a stock-out hides demand, so lean up.
        const observed = stockout ? Math.max(units * 1.3, forecast) : units;
        forecast = 0.7 * forecast + (0.3 * observed) / plannerView(t);
        // Order up to the protection window's need; stop reordering just before delisting.
        if (age < seller.delist - L - 1 && t + L < arrivals.length) {
          let need = 0;
          for (let j = 1; j <= L; j++) need += forecast * plannerView(t + j);
          need += safety * forecast * plannerView(t + L);
          let qty = Math.ceil((need - onHand - onOrder) / 10) * 10;
          if (qty > 0) {
            if (rng.chance(0.04)) qty = Math.floor(qty * rng.uniform(0, 0.6)); // supplier shortfall
            arrivals[t + L] += qty;
            onOrder += qty;
          }
        }
      }
    }
  }

  // Scopes and candidates.
  const scopes: ScopeInsert[] = regions.map((region) => ({
    id: `${opts.group}/${region}`,
    region,
    categories: categories.map((c) => c.name),
    rules: {},
  }));
  const candidates: CandidateInsert[] = [];
  const candidateTruth: Record<string, CandidateTruth> = {};
  const candidateSellers = new Map<string, { seller: Seller; ri: number }>();
  regions.forEach((region, ri) => {
    const scopeId = `${opts.group}/${region}`;
    for (let k = 0; k < opts.candidatesPerScope; k++) {
      const ci = k % categories.length;
      const category = categories[ci];
      const rng = stream(seed, `candidate:${region}:${k}`);
      const year = Number(addWeeks(asOf, 26).slice(0, 4));
      const item = drawItem({ rng, category, brandStrength: brandStrength[category.name], year, serial: k + 3 });
      const id = `C-${region.toUpperCase()}-${category.skuPrefix}-${String(k + 1).padStart(3, '0')}`;
      const regionFactor = round2(market.regionFactors[region] * rng.lognormal(1, 0.15));
      const minOffset = Math.min(horizonWeeks - 4, Math.max(2, item.leadTimeWeeks + 1));
      const earliest = rng.int(minOffset, Math.max(minOffset, horizonWeeks - 12));
      const latest = Math.min(horizonWeeks, earliest + rng.int(4, 20));
      candidates.push({
        id,
        scopeId,
        name: item.name,
        category: category.name,
        subcategory: item.subcategory.name,
        brand: item.brand,
        price: item.price,
        unitCost: item.unitCost,
        salvageValue: round2(item.unitCost * rng.uniform(0.2, 0.5)),
        moq: rng.pick(category.moq),
        leadTimeWeeks: item.leadTimeWeeks,
        earliestWeek: addWeeks(asOf, earliest),
        latestWeek: addWeeks(asOf, latest),
        mustLaunch: rng.chance(0.1),
        attributes: item.attributes,
      });
      candidateTruth[id] = {
        id,
        scopeId,
        region,
        category: category.name,
        subcategory: item.subcategory.name,
        tier: item.tier,
        brandStrength: brandStrength[category.name][item.brand],
        curve: item.curve,
        regionFactor,
        cannibalisationRate: item.cannibalisationRate,
      };
      const regionFactors = regions.map((_, j) => (j === ri ? regionFactor : 0));
      candidateSellers.set(id, {
        ri,
        seller: {
          key: id,
          ci,
          subcategory: item.subcategory.name,
          price: item.price,
          curve: item.curve,
          launchIndex: Number.NaN, // placed by each what-if
          delist: delistAge(item.curve),
          rate: item.cannibalisationRate,
          regionFactors,
        },
      });
    }
  });

  // Indicators: observations of the latent market a few weeks ahead of demand.
  const indicators: IndicatorInsert[] = [];
  const indicatorLeads: Record<string, number> = { ce_demand_index: INDICATOR_LEADS.ce_demand_index };
  {
    const rng = stream(seed, 'indicators');
    const meanTrend = (t: number) => categories.reduce((acc, _, ci) => acc * market.trend(ci, t), 1) ** (1 / categories.length);
    for (let t = 0; t < weeks; t++) {
      const lead = INDICATOR_LEADS.ce_demand_index;
      indicators.push({
        name: 'ce_demand_index',
        week: timeline.weeks[t],
        value: round2(100 * Math.exp(market.commonClimate(t + lead)) * meanTrend(t + lead) * rng.lognormal(1, 0.008)),
      });
    }
    categories.forEach((category, ci) => {
      const name = `search_${category.name}`;
      const lead = INDICATOR_LEADS.search;
      indicatorLeads[name] = lead;
      for (let t = 0; t < weeks; t++) {
        let seasonal = 0;
        for (let ri = 0; ri < nr; ri++) seasonal += market.seasonal(ci, ri, t + lead) / nr;
        indicators.push({
          name,
          week: timeline.weeks[t],
          value: round2(100 * Math.exp(market.climate(ci, t + lead)) * market.trend(ci, t + lead) * seasonal * rng.lognormal(1, 0.015)),
        });
      }
    });
  }

  const horizonEnd = addWeeks(asOf, horizonWeeks);
  const competitorEvents: CompetitorEventInsert[] = market.competitorEvents
    .filter((e) => e.announced)
    .map((e) => ({
      competitor: e.competitor,
      category: e.category,
      region: e.region,
      week: e.week,
      kind: 'launch',
      description: `${e.competitor} launches new ${e.category}`,
    }));
  const promotions: PromotionInsert[] = market.promotions
    .filter((p) => p.startWeek <= horizonEnd)
    .map((p) => ({
      name: p.name,
      region: p.region,
      category: p.category,
      startWeek: p.startWeek,
      endWeek: p.endWeek,
      discount: p.discount,
      kind: p.kind,
    }));

  const weeklyMultipliers: WeeklyMultipliers[] = [];
  categories.forEach((category, ci) =>
    regions.forEach((region, ri) => {
      for (let t = 0; t < length; t++)
        weeklyMultipliers.push({
          category: category.name,
          region,
          week: timeline.weeks[t],
          trend: market.trend(ci, t),
          seasonal: market.seasonal(ci, ri, t),
          festival: market.festival(ci, ri, t),
          market: market.market(ci, ri, t),
          competitor: market.competitor(ci, ri, t),
        });
    }),
  );

  let salesIndex: Map<string, number> | undefined;
  const regionIndex = (region: string) => {
    const ri = regions.indexOf(region);
    if (ri < 0) throw new RangeError(`unknown region "${region}"`);
    return ri;
  };
  const weekIndex = (week: string, what: string) => {
    if (!isMonday(week)) throw new RangeError(`${what} must be an ISO Monday date, got "${week}"`);
    return weeksBetween(historyStart, week);
  };
  const checkWeeks = (n: number) => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`weeks must be a non-negative integer, got ${n}`);
  };
  /** Candidates of `launches` placed as sellers in region `ri` (same subcategory filter left to callers). */
  const placedCandidates = (options: DemandOptions | undefined, ri: number, exclude?: string): Seller[] =>
    (options?.launches ?? [])
      .filter((l) => l.candidateId !== exclude)
      .map((l) => {
        const found = candidateSellers.get(l.candidateId);
        if (!found) throw new RangeError(`unknown candidate "${l.candidateId}"`);
        return { found, launchIndex: weekIndex(l.launchWeek, 'launchWeek') };
      })
      .filter(({ found }) => found.ri === ri)
      .map(({ found, launchIndex }) => ({ ...found.seller, launchIndex }));

  const truth: GroundTruth = {
    seed,
    historyStart,
    asOf,
    truthEnd: timeline.weeks[length - 1],
    regionFactors: { ...market.regionFactors },
    brandStrength,
    products: productTruth,
    candidates: candidateTruth,
    promotions: market.promotions,
    festivals: market.festivals,
    competitorEvents: market.competitorEvents,
    noise: { distribution: 'negative_binomial', shape: DEMAND_SHAPE },
    prelaunchSignals: {} as Record<string, PrelaunchSignalTruth>,
    indicatorLeads,
    weeklyMultipliers,
    salesDemand: { expected: expectedCol, realized: realizedCol, cannibalisation: cannibalisationCol },
    demandAt(sku, region, week) {
      if (!salesIndex) {
        salesIndex = new Map();
        for (let i = 0; i < sales.length; i++) salesIndex.set(`${sales[i].sku}|${sales[i].region}|${sales[i].week}`, i);
      }
      const i = salesIndex.get(`${sku}|${region}|${week}`);
      return i === undefined ? undefined : { expected: expectedCol[i], realized: realizedCol[i] };
    },
    candidateDemand(candidateId, launchWeek, n, options) {
      checkWeeks(n);
      const found = candidateSellers.get(candidateId);
      if (!found) throw new RangeError(`unknown candidate "${candidateId}"`);
      const launchIndex = weekIndex(launchWeek, 'launchWeek');
      const seller: Seller = { ...found.seller, launchIndex };
      const rivals = placedCandidates(options, found.ri, candidateId).filter(
        (s) => s.ci === seller.ci && s.subcategory === seller.subcategory && (s.launchIndex > launchIndex || (s.launchIndex === launchIndex && s.key > seller.key)),
      );
      const promotions = options?.promotions ?? true;
      // The curve is drawn with delisting at 5 % of peak; what-ifs keep the tail (no delisting).
      const open: Seller = { ...seller, delist: Number.POSITIVE_INFINITY };
      return Array.from({ length: n }, (_, j) => expectedDemand(market, open, found.ri, launchIndex + j, rivals, promotions).expected);
    },
    productDemand(sku, region, fromWeek, n, options) {
      checkWeeks(n);
      const seller = sellerBySku.get(sku);
      if (!seller) throw new RangeError(`unknown product "${sku}"`);
      const ri = regionIndex(region);
      const from = weekIndex(fromWeek, 'fromWeek');
      const rivals = [
        ...newerSiblings.get(sku)!,
        ...placedCandidates(options, ri).filter((s) => s.ci === seller.ci && s.subcategory === seller.subcategory),
      ];
      const promotions = options?.promotions ?? true;
      return Array.from({ length: n }, (_, j) => expectedDemand(market, seller, ri, from + j, rivals, promotions).expected);
    },
  };

  // Pre-launch interest, measured against the true demand above; its own streams leave every
  // row drawn before unchanged.
  const signalItems: SignalItem[] = [];
  const mean13 = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / 13;
  for (const p of products) {
    if (p.launchWeek < historyStart) continue;
    const perRegion = regions.map((r) => mean13(truth.productDemand(p.sku, r, p.launchWeek, 13)));
    signalItems.push({
      itemId: p.sku,
      kind: 'product',
      category: p.category,
      launchWeek: p.launchWeek,
      weeklyDemand: perRegion.reduce((a, b) => a + b, 0) / nr,
      lastWeek: addWeeks(p.launchWeek, -1),
    });
  }
  for (const c of candidates)
    signalItems.push({
      itemId: c.id,
      kind: 'candidate',
      category: c.category,
      launchWeek: c.earliestWeek,
      weeklyDemand: mean13(truth.candidateDemand(c.id, c.earliestWeek, 13)),
      lastWeek: asOf,
    });
  const signals = drawSignals(seed, signalItems, categoryTraffic(seed, categories.map((c) => c.name)));
  truth.prelaunchSignals = signals.truth;

  return {
    options: opts,
    historyStart,
    scopes,
    products,
    candidates,
    sales,
    indicators,
    inventory,
    competitorEvents,
    promotions,
    prelaunchSignals: signals.rows,
    truth,
  };
}
