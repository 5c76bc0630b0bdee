/**
 * The market around the catalogue: trend, yearly seasonality, festivals, a latent market
 * climate (which the indicators observe a few weeks early), competitor launches and the
 * promotions calendar. Everything is a multiplier on a category's demand in a region.
 */
import { addWeeks, weeksBetween, yearFraction } from '../../engine/calendar/index.js';
import { COMPETITORS, FESTIVAL_DISCOUNTS, FESTIVAL_EFFECTS, REGION_FACTORS, type CategorySpec } from './catalogue.js';
import { FESTIVAL_LABELS, festivalsBetween, festivalsOfYear, type FestivalWeek } from './festivals.js';
import { stream } from './random.js';
import type { CompetitorEventTruth, FestivalTruth, PromotionTruth } from './types.js';

const WEEKS_PER_YEAR = 52.1775;

/** Leads (weeks) of the indicators over the latent market they observe. */
export const INDICATOR_LEADS = { ce_demand_index: 4, search: 2 } as const;

export interface Timeline {
  historyStart: string;
  asOf: string;
  /** Index of `asOf` (history is 0..asOfIndex). */
  asOfIndex: number;
  /** Number of weeks with precomputed truth: 0..length-1. */
  length: number;
  weeks: string[];
}

export interface MarketModel {
  timeline: Timeline;
  categories: readonly CategorySpec[];
  regions: readonly string[];
  regionFactors: Record<string, number>;
  /** Latent log climate per category at t (common + category + nothing regional), for indicators. */
  climate(categoryIndex: number, t: number): number;
  commonClimate(t: number): number;
  trend(categoryIndex: number, t: number): number;
  seasonal(categoryIndex: number, regionIndex: number, t: number): number;
  festival(categoryIndex: number, regionIndex: number, t: number): number;
  market(categoryIndex: number, regionIndex: number, t: number): number;
  competitor(categoryIndex: number, regionIndex: number, t: number): number;
  /** Product of trend, seasonal, festival, market and competitor effects (not promotions). */
  multiplier(categoryIndex: number, regionIndex: number, t: number): number;
  /** Category promotion uplift (1 when none) and the discount shoppers see (festival or promotion). */
  promoUplift(categoryIndex: number, regionIndex: number, t: number): number;
  discount(categoryIndex: number, regionIndex: number, t: number): number;
  festivals: FestivalTruth[];
  promotions: PromotionTruth[];
  competitorEvents: CompetitorEventTruth[];
}

function ar1(seed: number, label: string, length: number, phi: number, sd: number): Float64Array {
  const rng = stream(seed, label);
  const out = new Float64Array(length);
  // Start from the stationary distribution so the first weeks are not special.
  let x = rng.normal(0, sd / Math.sqrt(1 - phi * phi));
  for (let t = 0; t < length; t++) {
    x = phi * x + rng.normal(0, sd);
    out[t] = x;
  }
  return out;
}

export function buildMarket(input: {
  seed: number;
  categories: readonly CategorySpec[];
  regions: readonly string[];
  timeline: Timeline;
  /** Competitor events up to this week are announced (listed in the table); later ones are truth only. */
  announceCompetitorsThrough: string;
}): MarketModel {
  const { seed, categories, regions, timeline } = input;
  const T = timeline.length;
  const nc = categories.length;
  const nr = regions.length;
  const maxLead = Math.max(INDICATOR_LEADS.ce_demand_index, INDICATOR_LEADS.search);

  const regionFactors: Record<string, number> = {};
  const regionFestival: number[] = [];
  const regionSeason: number[] = [];
  for (const region of regions) {
    const rng = stream(seed, `region:${region}`);
    regionFactors[region] = REGION_FACTORS[region] ?? rng.lognormal(1, 0.25);
    regionFestival.push(rng.uniform(0.85, 1.15));
    regionSeason.push(rng.uniform(0.85, 1.15));
  }

  // Latent climate: a slow common cycle, a category cycle and a small regional wobble.
  const common = ar1(seed, 'latent:common', T + maxLead, 0.95, 0.025);
  const byCategory = categories.map((c) => ar1(seed, `latent:${c.name}`, T + maxLead, 0.9, 0.03));
  const byRegion = regions.map((r) => ar1(seed, `latent:region:${r}`, T + maxLead, 0.85, 0.015));
  const at = (series: Float64Array, t: number) => (t >= 0 && t < series.length ? series[t] : 0);

  const yearsFromAsOf = (t: number) => (t - timeline.asOfIndex) / WEEKS_PER_YEAR;
  const weekAt = (t: number) => (t >= 0 && t < T ? timeline.weeks[t] : addWeeks(timeline.historyStart, t));

  const trend = (ci: number, t: number) => Math.exp(categories[ci].trendPerYear * yearsFromAsOf(t));
  const seasonal = (ci: number, ri: number, t: number) => {
    const f = yearFraction(weekAt(t));
    const s = categories[ci].season;
    return Math.exp(
      regionSeason[ri] * (s.a1 * Math.cos(2 * Math.PI * (f - s.phase1)) + s.a2 * Math.cos(4 * Math.PI * (f - s.phase2))),
    );
  };

  // Festival truth: one entry per festival occurrence, multipliers per category and offset.
  const firstWeek = addWeeks(timeline.historyStart, -4);
  const lastWeek = addWeeks(timeline.historyStart, T + 4);
  const festivalWeeks = festivalsBetween(firstWeek, lastWeek);
  const festivalEffect = (f: FestivalWeek, ci: number, ri: number, offset: number): number => {
    const base = FESTIVAL_EFFECTS[f.name][offset];
    if (base === undefined) return 1;
    return Math.exp(Math.log(base) * categories[ci].festivalSensitivity * regionFestival[ri]);
  };
  const festivalLog = new Float64Array(nc * nr * T);
  for (const f of festivalWeeks) {
    const t0 = weeksBetween(timeline.historyStart, f.week);
    for (const offsetText of Object.keys(FESTIVAL_EFFECTS[f.name])) {
      const offset = Number(offsetText);
      const t = t0 + offset;
      if (t < 0 || t >= T) continue;
      for (let ci = 0; ci < nc; ci++)
        for (let ri = 0; ri < nr; ri++) festivalLog[(ci * nr + ri) * T + t] += Math.log(festivalEffect(f, ci, ri, offset));
    }
  }
  const festival = (ci: number, ri: number, t: number): number => {
    if (t >= 0 && t < T) return Math.exp(festivalLog[(ci * nr + ri) * T + t]);
    // Outside the precomputed span (far-future what-ifs): compute from the calendar.
    const week = weekAt(t);
    const year = Number(week.slice(0, 4));
    let log = 0;
    for (const y of [year - 1, year, year + 1])
      for (const f of festivalsOfYear(y)) log += Math.log(festivalEffect(f, ci, ri, weeksBetween(f.week, week)));
    return Math.exp(log);
  };
  const festivals: FestivalTruth[] = festivalWeeks.map((f) => ({
    ...f,
    multipliers: Object.fromEntries(
      categories.map((c, ci) => [
        c.name,
        Object.fromEntries(
          regions.map((r, ri) => [
            r,
            Object.fromEntries(Object.keys(FESTIVAL_EFFECTS[f.name]).map((o) => [Number(o), festivalEffect(f, ci, ri, Number(o))])),
          ]),
        ),
      ]),
    ),
  }));

  // Competitor launches: timing follows each competitor's habit.
  const competitorEvents: CompetitorEventTruth[] = [];
  const competitorLog = new Float64Array(nc * nr * T);
  const firstYear = Number(timeline.historyStart.slice(0, 4));
  const lastYear = Number(weekAt(T - 1).slice(0, 4));
  for (const comp of COMPETITORS) {
    for (const category of comp.categories) {
      const ci = categories.findIndex((c) => c.name === category);
      if (ci < 0) continue;
      const rng = stream(seed, `competitor:${comp.name}:${category}`);
      // A competitor launches at most once a week per category (two draws may hit the same week).
      const used = new Set<number>();
      for (let year = firstYear; year <= lastYear; year++) {
        const n = Math.max(0, Math.round(comp.launchesPerYear + rng.normal(0, 0.7)));
        for (let k = 0; k < n; k++) {
          let t: number;
          if (comp.tendency === 'pre_festival') {
            const target = rng.pick(festivalsOfYear(year).filter((f) => f.name === '618' || f.name === 'double_11' || rng.chance(0.3)));
            t = weeksBetween(timeline.historyStart, target.week) - rng.int(1, 3);
          } else if (comp.tendency === 'autumn') {
            t = weeksBetween(timeline.historyStart, `${year}-01-05`) + rng.int(34, 43);
          } else {
            t = weeksBetween(timeline.historyStart, `${year}-01-05`) + rng.int(0, 51);
          }
          const impact = rng.uniform(comp.impact[0], comp.impact[1]);
          const nationwide = rng.chance(0.7);
          const hit = nationwide ? regions.map((_, ri) => ri) : [rng.int(0, nr - 1)];
          if (t < 0 || t >= T || used.has(t)) continue;
          used.add(t);
          for (const ri of hit) {
            const week = timeline.weeks[t];
            competitorEvents.push({
              competitor: comp.name,
              category,
              region: regions[ri],
              week,
              impact,
              announced: week <= input.announceCompetitorsThrough,
            });
            for (let j = 0; j < 8 && t + j < T; j++) competitorLog[(ci * nr + ri) * T + t + j] += Math.log(1 - impact * Math.exp(-j / 3));
          }
        }
      }
    }
  }
  competitorEvents.sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : a.region < b.region ? -1 : 1));

  // Promotions calendar: festival sales site-wide, category promotions between festivals.
  const promotions: PromotionTruth[] = [];
  const promoLogUplift = new Float64Array(nc * nr * T);
  const discounts = new Float64Array(nc * nr * T);
  const nearFestival = new Uint8Array(T);
  for (const f of festivalWeeks) {
    const t0 = weeksBetween(timeline.historyStart, f.week);
    for (let j = -2; j <= 2; j++) if (t0 + j >= 0 && t0 + j < T) nearFestival[t0 + j] = 1;
    const span = f.name === 'black_friday' ? 2 : 1;
    for (let ri = 0; ri < nr; ri++) {
      if (t0 < 0 || t0 >= T) continue;
      const end = Math.min(T - 1, t0 + span - 1);
      promotions.push({
        name: `${FESTIVAL_LABELS[f.name]} ${f.year}`,
        region: regions[ri],
        category: null,
        kind: 'festival',
        startWeek: timeline.weeks[t0],
        endWeek: timeline.weeks[end],
        discount: FESTIVAL_DISCOUNTS[f.name],
        uplift: FESTIVAL_EFFECTS[f.name][0],
      });
      for (let t = t0; t <= end; t++)
        for (let ci = 0; ci < nc; ci++) {
          const i = (ci * nr + ri) * T + t;
          discounts[i] = Math.max(discounts[i], FESTIVAL_DISCOUNTS[f.name]);
        }
    }
  }
  const PROMO_NAMES = ['flash sale', 'brand week', 'trade-in offer', 'clearance', 'member days'];
  for (let ci = 0; ci < nc; ci++) {
    const cat = categories[ci];
    for (let ri = 0; ri < nr; ri++) {
      const rng = stream(seed, `promotions:${cat.name}:${regions[ri]}`);
      let t = rng.int(2, 10);
      while (t < T) {
        const length = rng.chance(0.3) ? 2 : 1;
        const clash = nearFestival[t] === 1 || (length === 2 && t + 1 < T && nearFestival[t + 1] === 1);
        if (!clash && t + length <= T) {
          const discount = rng.pick([0.05, 0.1, 0.1, 0.15, 0.15, 0.2, 0.25, 0.3]);
          const uplift = Math.exp(cat.promoElasticity * discount) * rng.lognormal(1, 0.1);
          const label = rng.pick(PROMO_NAMES);
          promotions.push({
            name: `${cat.name} ${label} ${regions[ri]} ${timeline.weeks[t]}`,
            region: regions[ri],
            category: cat.name,
            kind: 'promotion',
            startWeek: timeline.weeks[t],
            endWeek: timeline.weeks[t + length - 1],
            discount,
            uplift,
          });
          for (let j = 0; j < length; j++) {
            const i = (ci * nr + ri) * T + t + j;
            promoLogUplift[i] += Math.log(uplift);
            discounts[i] = Math.max(discounts[i], discount);
          }
        }
        t += length + rng.int(4, 11);
      }
    }
  }
  promotions.sort((a, b) => (a.startWeek < b.startWeek ? -1 : a.startWeek > b.startWeek ? 1 : a.name < b.name ? -1 : 1));

  const inSpan = (t: number) => t >= 0 && t < T;
  const market = (ci: number, ri: number, t: number) => Math.exp(at(common, t) + at(byCategory[ci], t) + at(byRegion[ri], t));
  const competitor = (ci: number, ri: number, t: number) => (inSpan(t) ? Math.exp(competitorLog[(ci * nr + ri) * T + t]) : 1);
  const combined = (ci: number, ri: number, t: number) =>
    trend(ci, t) * seasonal(ci, ri, t) * festival(ci, ri, t) * market(ci, ri, t) * competitor(ci, ri, t);
  // The demand simulation asks for the combined multiplier millions of times at large sizes.
  const multipliers = new Float64Array(nc * nr * T);
  for (let ci = 0; ci < nc; ci++) for (let ri = 0; ri < nr; ri++) for (let t = 0; t < T; t++) multipliers[(ci * nr + ri) * T + t] = combined(ci, ri, t);
  return {
    timeline,
    categories,
    regions,
    regionFactors,
    climate: (ci, t) => at(common, t) + at(byCategory[ci], t),
    commonClimate: (t) => at(common, t),
    trend,
    seasonal,
    festival,
    market,
    competitor,
    multiplier: (ci, ri, t) => (inSpan(t) ? multipliers[(ci * nr + ri) * T + t] : combined(ci, ri, t)),
    promoUplift: (ci, ri, t) => (inSpan(t) ? Math.exp(promoLogUplift[(ci * nr + ri) * T + t]) : 1),
    discount: (ci, ri, t) => (inSpan(t) ? discounts[(ci * nr + ri) * T + t] : 0),
    festivals,
    promotions,
    competitorEvents,
  };
}
