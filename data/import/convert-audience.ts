/**
 * Converts the audience-dev files (UCI Online Retail II customers: `au-dev-orders.csv`,
 * `au-dev-items.csv`, `au-dev-candidates.csv`) to the import formats: the shop's products (with
 * the `keyword` and `prefix` attributes the audience engine scores from, and each product's first
 * order week as its launch week, as the set has no sales file), its candidates in one scope, and
 * its customer orders. The orders file is already in the customer orders format (`country` and
 * `item_id` are accepted names); it is copied, kept to the written products.
 *
 *   npx tsx data/import/convert-audience.ts --in ../shared/data/audience-dev --out /tmp/au [--skus FILE] [--candidates N]
 *
 * `--skus FILE` (a products.csv, e.g. test/fixtures/real-shop/products.csv) keeps only those
 * products and their orders: a slice of real histories for a shop already imported.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCsv } from '../formats/csv.js';
import { csvText, FILE_NAMES } from './write.js';

export interface AudienceTexts {
  orders: string;
  items: string;
  candidates: string;
}

export interface AudienceConvertOptions {
  scopeId?: string;
  region?: string;
  /** Keep only these products (and their orders); default all. */
  skus?: ReadonlySet<string>;
  /** At most this many candidates (earliest launch first); default all. */
  candidates?: number;
  /** Write only the customer orders (the products and candidates are imported already). */
  ordersOnly?: boolean;
}

export interface AudienceConverted {
  scopes?: string;
  products?: string;
  candidates?: string;
  customerOrders: string;
  counts: { products: number; candidates: number; orders: number; customers: number };
}

function table(name: string, text: string, columns: string[]): Array<Record<string, string>> {
  const doc = parseCsv(text);
  if (doc.problems.length) throw new Error(`${name}:${doc.problems[0].line}: ${doc.problems[0].message}`);
  for (const c of columns) if (!doc.header.includes(c)) throw new Error(`${name}: missing column ${c} (have ${doc.header.join(', ')})`);
  const at = columns.map((c) => doc.header.indexOf(c));
  return doc.records.map((r) => Object.fromEntries(columns.map((c, j) => [c, r.fields[at[j]]])));
}

export function convertAudienceDev(texts: AudienceTexts, o: AudienceConvertOptions = {}): AudienceConverted {
  const scopeId = o.scopeId ?? 'giftware/uk';
  const region = o.region ?? 'uk';
  const orders = table('au-dev-orders.csv', texts.orders, ['customer_id', 'country', 'item_id', 'week', 'units']).filter((r) => !o.skus || o.skus.has(r.item_id));
  const firstWeek = new Map<string, string>();
  for (const r of orders) if (!(firstWeek.get(r.item_id)! <= r.week)) firstWeek.set(r.item_id, r.week);
  const items = table('au-dev-items.csv', texts.items, ['item_id', 'category', 'keyword', 'prefix', 'price']).filter((r) => firstWeek.has(r.item_id));
  const attrs = (r: Record<string, string>) => JSON.stringify({ keyword: r.keyword, prefix: r.prefix });
  const candidates = table('au-dev-candidates.csv', texts.candidates, ['item_id', 'category', 'keyword', 'prefix', 'price', 'launch_week'])
    .sort((a, b) => a.launch_week.localeCompare(b.launch_week) || a.item_id.localeCompare(b.item_id))
    .slice(0, o.candidates ?? Infinity);
  const customerOrders = csvText(
    ['customer_id', 'country', 'item_id', 'week', 'units'],
    orders.map((r) => [r.customer_id, r.country, r.item_id, r.week, r.units]),
  );
  const counts = { products: items.length, candidates: candidates.length, orders: orders.length, customers: new Set(orders.map((r) => r.customer_id)).size };
  if (o.ordersOnly) return { customerOrders, counts: { ...counts, products: 0, candidates: 0 } };
  return {
    scopes: csvText(['id', 'region', 'categories'], [[scopeId, region, '*']]),
    products: csvText(
      ['sku', 'category', 'price', 'launch_week', 'attributes'],
      items.map((r) => [r.item_id, r.category, r.price, firstWeek.get(r.item_id)!, attrs(r)]),
    ),
    candidates: csvText(
      ['id', 'scope_id', 'category', 'price', 'earliest_week', 'attributes'],
      candidates.map((r) => [r.item_id, scopeId, r.category, r.price, r.launch_week, attrs(r)]),
    ),
    customerOrders,
    counts,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      in: { type: 'string' },
      out: { type: 'string' },
      skus: { type: 'string' },
      candidates: { type: 'string' },
      'orders-only': { type: 'boolean' },
      scope: { type: 'string' },
      region: { type: 'string' },
    },
  });
  if (!values.in || !values.out) throw new Error('usage: convert-audience.ts --in DIR --out DIR [--skus products.csv] [--candidates N] [--orders-only] [--scope S --region R]');
  const read = (f: string) => readFileSync(join(values.in!, f), 'utf8');
  const skus = values.skus ? new Set(table(values.skus, readFileSync(values.skus, 'utf8'), ['sku']).map((r) => r.sku)) : undefined;
  const out = convertAudienceDev(
    { orders: read('au-dev-orders.csv'), items: read('au-dev-items.csv'), candidates: read('au-dev-candidates.csv') },
    {
      ...(skus ? { skus } : {}),
      ...(values.candidates ? { candidates: Number(values.candidates) } : {}),
      ...(values.scope ? { scopeId: values.scope } : {}),
      ...(values.region ? { region: values.region } : {}),
      ordersOnly: values['orders-only'] === true,
    },
  );
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, FILE_NAMES.customerOrders), out.customerOrders);
  if (out.scopes) writeFileSync(join(values.out, FILE_NAMES.scopes), out.scopes);
  if (out.products) writeFileSync(join(values.out, FILE_NAMES.products), out.products);
  if (out.candidates) writeFileSync(join(values.out, FILE_NAMES.candidates), out.candidates);
  console.log(`wrote ${values.out}: ${JSON.stringify(out.counts)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
