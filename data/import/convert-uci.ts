/**
 * Converts the coldstart-dev files (UCI Online Retail II, a UK giftware shop: `or-dev-sales.csv`,
 * `or-dev-items.csv`, `or-dev-candidates.csv`) to the import formats, writing only what such a
 * shop's export has (sku, description, category, week, units, price): unit costs, launch weeks,
 * subcategories, brands and launch windows are left to the import's documented defaults.
 *
 *   npx tsx data/import/convert-uci.ts --in ../shared/data/coldstart-dev --out /tmp/uci [--categories 6] [--per-category 8] [--candidates 12]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCsv, parseSales, type CsvTable } from '../formats/catalogue-csv.js';
import { weeksBetween } from '../../engine/calendar/index.js';
import { csvText as csv, FILE_NAMES } from './write.js';

export interface UciTexts {
  sales: string;
  items: string;
  candidates: string;
}

export interface ConvertOptions {
  scopeId?: string;
  region?: string;
  /** Keep only the N categories with the most products (a small fixture); default all. */
  categories?: number;
  /** At most this many products per kept category, the most-sold first; default all. */
  perCategory?: number;
  /** At most this many candidates (earliest launch first); default all. */
  candidates?: number;
}

export interface Converted {
  scopes: string;
  products: string;
  sales: string;
  candidates: string;
  counts: { products: number; sales: number; candidates: number; categories: number };
}

function records(t: CsvTable, columns: string[]): Array<Record<string, string>> {
  for (const c of columns) if (!t.header.includes(c)) throw new Error(`${t.file}: missing column ${c} (have ${t.header.join(', ')})`);
  const idx = columns.map((c) => t.header.indexOf(c));
  return t.rows.map(({ cells }) => Object.fromEntries(columns.map((c, j) => [c, cells[idx[j]]])));
}

export function convertUci(texts: UciTexts, o: ConvertOptions = {}): Converted {
  const scopeId = o.scopeId ?? 'giftware/uk';
  const region = o.region ?? 'uk';
  const sales = parseSales(parseCsv(texts.sales, 'or-dev-sales.csv'));
  const items = records(parseCsv(texts.items, 'or-dev-items.csv'), ['item_id', 'category', 'keyword', 'prefix', 'price']);
  const candidates = records(parseCsv(texts.candidates, 'or-dev-candidates.csv'), ['item_id', 'category', 'keyword', 'prefix', 'price', 'launch_week']);

  const unitsOf = new Map<string, number>();
  for (const s of sales) unitsOf.set(s.itemId, (unitsOf.get(s.itemId) ?? 0) + s.units);
  let kept = items.filter((i) => unitsOf.has(i.item_id));
  let keptCandidates = candidates;
  if (o.categories !== undefined || o.perCategory !== undefined) {
    const byCategory = new Map<string, typeof kept>();
    for (const i of kept) (byCategory.get(i.category) ?? byCategory.set(i.category, []).get(i.category)!).push(i);
    // Categories with candidates first (a fixture must have something to plan), then by size.
    const withCandidates = new Set(candidates.map((c) => c.category));
    const order = [...byCategory.entries()].sort(
      ([a, x], [b, y]) => Number(withCandidates.has(b)) - Number(withCandidates.has(a)) || y.length - x.length || a.localeCompare(b),
    );
    const cats = order.slice(0, o.categories ?? order.length);
    // Half launches inside the history (what the cold-start model learns from), half established
    // products (the category's level), each the best-selling first.
    const start = sales.reduce((m, s) => (s.week < m ? s.week : m), sales[0]?.week ?? '');
    const firstWeek = new Map<string, string>();
    for (const s of sales) if (!firstWeek.has(s.itemId) || s.week < firstWeek.get(s.itemId)!) firstWeek.set(s.itemId, s.week);
    const launchedInHistory = (id: string) => weeksBetween(start, firstWeek.get(id) ?? start) >= 4;
    const bySales = (a: Record<string, string>, b: Record<string, string>) => (unitsOf.get(b.item_id) ?? 0) - (unitsOf.get(a.item_id) ?? 0) || a.item_id.localeCompare(b.item_id);
    kept = cats.flatMap(([, list]) => {
      const n = o.perCategory ?? list.length;
      const launches = list.filter((i) => launchedInHistory(i.item_id)).sort(bySales);
      const established = list.filter((i) => !launchedInHistory(i.item_id)).sort(bySales);
      const l = launches.slice(0, Math.max(Math.ceil(n / 2), n - established.length));
      return [...l, ...established.slice(0, n - l.length)];
    });
    const keptCats = new Set(cats.map(([c]) => c));
    keptCandidates = candidates.filter((c) => keptCats.has(c.category));
  }
  keptCandidates = [...keptCandidates].sort((a, b) => a.launch_week.localeCompare(b.launch_week) || a.item_id.localeCompare(b.item_id)).slice(0, o.candidates ?? candidates.length);
  const skus = new Set(kept.map((i) => i.item_id));
  const price = new Map(kept.map((i) => [i.item_id, i.price]));
  const keptSales = sales.filter((s) => skus.has(s.itemId)).sort((a, b) => a.itemId.localeCompare(b.itemId) || a.week.localeCompare(b.week));
  const attrs = (r: Record<string, string>) => JSON.stringify({ keyword: r.keyword, prefix: r.prefix });
  const describe = (r: Record<string, string>) => `${r.keyword} ${r.category}`;

  return {
    scopes: csv(['id', 'region', 'categories'], [[scopeId, region, '*']]),
    products: csv(
      ['sku', 'description', 'category', 'price', 'attributes'],
      kept.map((i) => [i.item_id, describe(i), i.category, i.price, attrs(i)]),
    ),
    // The shop's price list has one (median) price per product; the week's own price is not in these files.
    sales: csv(['sku', 'region', 'week', 'units', 'price'], keptSales.map((s) => [s.itemId, region, s.week, s.units, price.get(s.itemId)!])),
    // The real launch week starts each candidate's window, so forecasts are made for the context it really launched into.
    candidates: csv(
      ['id', 'scope_id', 'description', 'category', 'price', 'earliest_week', 'attributes'],
      keptCandidates.map((c) => [c.item_id, scopeId, describe(c), c.category, c.price, c.launch_week, attrs(c)]),
    ),
    counts: { products: kept.length, sales: keptSales.length, candidates: keptCandidates.length, categories: new Set(kept.map((i) => i.category)).size },
  };
}

/** Reads the three files from `dir` and writes scopes/products/sales/candidates CSVs to `out`. */
export function convertUciDir(dir: string, out: string, o: ConvertOptions = {}): Converted {
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  const result = convertUci({ sales: read('or-dev-sales.csv'), items: read('or-dev-items.csv'), candidates: read('or-dev-candidates.csv') }, o);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, FILE_NAMES.scopes), result.scopes);
  writeFileSync(join(out, FILE_NAMES.products), result.products);
  writeFileSync(join(out, FILE_NAMES.sales), result.sales);
  writeFileSync(join(out, FILE_NAMES.candidates), result.candidates);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      in: { type: 'string' },
      out: { type: 'string' },
      scope: { type: 'string' },
      region: { type: 'string' },
      categories: { type: 'string' },
      'per-category': { type: 'string' },
      candidates: { type: 'string' },
    },
  });
  if (!values.in || !values.out) {
    console.error('usage: tsx data/import/convert-uci.ts --in DIR --out DIR [--scope giftware/uk] [--region uk] [--categories N] [--per-category N] [--candidates N]');
    process.exit(2);
  }
  const int = (v: string | undefined) => (v === undefined ? undefined : Number.parseInt(v, 10));
  const r = convertUciDir(values.in, values.out, {
    ...(values.scope ? { scopeId: values.scope } : {}),
    ...(values.region ? { region: values.region } : {}),
    categories: int(values.categories),
    perCategory: int(values['per-category']),
    candidates: int(values.candidates),
  });
  console.log(`wrote ${values.out}: ${r.counts.products} products in ${r.counts.categories} categories, ${r.counts.sales} sales rows, ${r.counts.candidates} candidates`);
  console.log(`import: npm run launchloop -- import --dir ${values.out}`);
}
