/**
 * What the import fills in for the columns a shop's export does not have, once every file is
 * parsed (a default may depend on another file: a launch week on the first sale, a launch
 * window on the last sales week), and the scope checks that need all files: category wildcards
 * expanded, products in no scope reported, a new scope's launch-rate rules sized from the
 * history. Pure: the database's part comes in as `stored`. FORMATS.md documents each default.
 */
import { addWeeks } from '../../engine/calendar/index.js';
import { historySizedRules } from '../../engine/planner/index.js';
import type { IssueSink } from './errors.js';
import { DEFERRED } from './formats.js';
import type { ParsedFiles } from './validate.js';

export interface MarginRule {
  /** Gross margin share of the price when `unit_cost` is empty: unit cost = price × (1 − margin). */
  default: number;
  byCategory?: Record<string, number>;
}

/** Default gross margin: a giftware/home retailer's typical keystone-ish mark-up (documented in FORMATS.md). */
export const DEFAULT_MARGIN = 0.5;
/** A candidate's default launch window: the 26 planning weeks (scope rule planningWeeks' default) after the history. */
export const DEFAULT_WINDOW_WEEKS = 26;

export interface StoredContext {
  scopeCategories: ReadonlyMap<string, readonly string[]>;
  categories: ReadonlySet<string>;
  salesThrough: string | null;
}

export interface UncoveredCategory {
  category: string;
  products: number;
  /** A few of its skus (products) or candidate ids. */
  examples: string[];
}

export interface DefaultsReport {
  /** Rows that got a default, per column (e.g. `products.unit_cost`). */
  defaulted: Record<string, number>;
  /** Product categories of these files that no scope covers: their history trains no scope's model. */
  uncovered: UncoveredCategory[];
  /** Candidates whose category is not among their scope's categories (no like-item history in it). */
  candidatesOutsideScope: UncoveredCategory[];
  /** Scope id → categories its wildcards expanded to. */
  expanded: Record<string, string[]>;
  /** Scope id → the history-sized rules stored for that new scope (and why). */
  sizedRules: Record<string, string>;
}

/** `*` matches any run of characters; everything else literally (case-sensitive, like the categories). */
export function wildcardMatcher(pattern: string): (category: string) => boolean {
  if (!pattern.includes('*')) return (c) => c === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (c) => re.test(c);
}

/** What defaults need of the sales in the files: each sku's first week and the last week of all. */
export interface SalesSummary {
  firstSale: Map<string, string>;
  /** '' when there are none. */
  lastSale: string;
}

export const emptySalesSummary = (): SalesSummary => ({ firstSale: new Map(), lastSale: '' });

/** Adds sales rows to `summary` (in place; a streamed file adds a chunk at a time). */
export function addSales(summary: SalesSummary, rows: ReadonlyArray<{ sku: string; week: string }>): SalesSummary {
  for (const s of rows) {
    const f = summary.firstSale.get(s.sku);
    if (f === undefined || s.week < f) summary.firstSale.set(s.sku, s.week);
    if (s.week > summary.lastSale) summary.lastSale = s.week;
  }
  return summary;
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/**
 * Fills deferred defaults in place and returns what it did; adds an issue where a default cannot
 * be had (a product with neither a launch week nor a sale, a wildcard matching nothing).
 */
export function applyDefaults(
  parsed: ParsedFiles,
  stored: StoredContext,
  margin: MarginRule,
  newScopeIds: ReadonlySet<string>,
  issues: IssueSink,
  /** The sales' first week per sku and last week, when the sales file was streamed, not parsed. */
  sales: SalesSummary = addSales(emptySalesSummary(), parsed.sales?.rows ?? []),
): DefaultsReport {
  const report: DefaultsReport = { defaulted: {}, uncovered: [], candidatesOutsideScope: [], expanded: {}, sizedRules: {} };
  const marginOf = (category: string) => margin.byCategory?.[category] ?? margin.default;
  const costFrom = (price: number, category: string) => Math.round(price * (1 - marginOf(category)) * 10_000) / 10_000;

  // Launch weeks from the first sale in the files (a new product's sales can only be there).
  const firstSale = sales.firstSale;
  const lastSale = sales.lastSale > (stored.salesThrough ?? '') ? sales.lastSale : (stored.salesThrough ?? '');
  const products = parsed.products;
  products?.rows.forEach((p, i) => {
    if (p.unitCost === DEFERRED.unitCost) {
      p.unitCost = costFrom(p.price, p.category);
      bump(report.defaulted, 'products.unit_cost');
    }
    if (p.launchWeek === DEFERRED.week) {
      const w = firstSale.get(p.sku);
      if (w === undefined)
        issues.push({ file: products.file, line: products.lines[i], column: 'launch_week', message: `is empty and ${p.sku} has no sales in the import files to take its first week from` });
      else {
        p.launchWeek = w;
        bump(report.defaulted, 'products.launch_week');
      }
    }
  });

  const candidates = parsed.candidates;
  candidates?.rows.forEach((c, i) => {
    if (c.unitCost === DEFERRED.unitCost) {
      c.unitCost = costFrom(c.price, c.category);
      bump(report.defaulted, 'candidates.unit_cost');
    }
    if (c.earliestWeek === DEFERRED.week) {
      if (lastSale === '') {
        issues.push({ file: candidates.file, line: candidates.lines[i], column: 'earliest_week', message: 'is empty and there are no sales (files or database) to start the window after' });
        return;
      }
      c.earliestWeek = addWeeks(lastSale, 1);
      bump(report.defaulted, 'candidates.earliest_week');
    }
    if (c.latestWeek === DEFERRED.week) {
      c.latestWeek = addWeeks(c.earliestWeek, DEFAULT_WINDOW_WEEKS - 1);
      bump(report.defaulted, 'candidates.latest_week');
    } else if (c.latestWeek < c.earliestWeek)
      issues.push({ file: candidates.file, line: candidates.lines[i], column: 'latest_week', message: `${c.latestWeek} is before the default earliest_week ${c.earliestWeek}` });
  });

  // Wildcards expand over every category known now: files and database, products and candidates.
  const known = new Set([...stored.categories, ...(products?.rows.map((p) => p.category) ?? []), ...(candidates?.rows.map((c) => c.category) ?? [])]);
  const sortedKnown = [...known].sort();
  const scopes = parsed.scopes;
  scopes?.rows.forEach((s, i) => {
    if (!s.categories.some((c) => c.includes('*'))) return;
    const out = new Set<string>();
    for (const pattern of s.categories) {
      const hits = sortedKnown.filter(wildcardMatcher(pattern));
      if (hits.length === 0 && pattern.includes('*'))
        issues.push({ file: scopes.file, line: scopes.lines[i], column: 'categories', message: `"${pattern}" matches no category of the products or candidates (files or database)` });
      // A literal category not (yet) known is kept: candidates of it may come in a later import.
      if (!pattern.includes('*')) out.add(pattern);
      for (const h of hits) out.add(h);
    }
    s.categories = [...out].sort();
    report.expanded[s.id] = s.categories;
  });

  const scopeCategories = new Map<string, readonly string[]>(stored.scopeCategories);
  for (const s of scopes?.rows ?? []) scopeCategories.set(s.id, s.categories);
  const covered = new Set([...scopeCategories.values()].flat());
  const group = (rows: Array<{ category: string; id: string }>): UncoveredCategory[] => {
    const by = new Map<string, string[]>();
    for (const r of rows) (by.get(r.category) ?? by.set(r.category, []).get(r.category)!).push(r.id);
    return [...by.entries()]
      .map(([category, ids]) => ({ category, products: ids.length, examples: ids.slice(0, 3) }))
      .sort((a, b) => b.products - a.products || a.category.localeCompare(b.category));
  };
  report.uncovered = group((products?.rows ?? []).filter((p) => !covered.has(p.category)).map((p) => ({ category: p.category, id: p.sku })));
  report.candidatesOutsideScope = group(
    (candidates?.rows ?? []).filter((c) => !(scopeCategories.get(c.scopeId) ?? []).includes(c.category)).map((c) => ({ category: c.category, id: c.id })),
  );

  // A new scope's launch-rate rules from the products' own launch weeks; an existing scope keeps its rules.
  for (const s of scopes?.rows ?? []) {
    if (!newScopeIds.has(s.id)) continue;
    const inScope = new Set(s.categories);
    const sized = historySizedRules((products?.rows ?? []).filter((p) => inScope.has(p.category)).map((p) => ({ category: p.category, week: p.launchWeek })));
    if (!sized) continue;
    s.rules = {
      ...s.rules,
      maxLaunchesPerWeek: sized.maxLaunchesPerWeek,
      defaultCadence: sized.defaultCadence,
      ...(sized.cadence.length ? { cadence: sized.cadence } : {}),
      sizedFromHistory: sized.note,
    };
    report.sizedRules[s.id] = sized.note;
  }
  return report;
}
