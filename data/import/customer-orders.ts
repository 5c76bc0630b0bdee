/**
 * The customer orders file (`customer_orders.csv`, FORMATS.md): one customer's units of one
 * product in one week. Streamed into the open import transaction a chunk at a time like the
 * sales file (a shop's order history is its largest export after sales): each record is checked
 * as it is read (cells, duplicates within the file), each chunk's skus and keys against the
 * files' products and the database, then written. Customers are written as they first appear
 * (their orders refer to them); once the whole file is read each gets its most frequent region
 * and the attributes of the extra columns in one set-based update. Once any issue is found the
 * import rolls back, so writing stops and checking goes on to report what else is wrong.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { CustomerOrderRow, CustomerOrdersWriter, CustomerRow } from '../../db/repositories/audiences.repository.js';
import { dayNumber } from '../../engine/calendar/index.js';
import { streamCsv, type CsvRecord } from '../formats/csv.js';
import { purchaseUnits, text, week } from './cells.js';
import type { IssueLog } from './errors.js';
import { skuReferences, STREAM_CHUNK } from './stream.js';

/** Column names a shop's export may use for the same thing; the first is the documented one. */
const ALIASES = {
  customer_id: ['customer_id'],
  region: ['region', 'country'],
  sku: ['sku', 'item_id'],
  week: ['week'],
  units: ['units'],
} as const;
type Column = keyof typeof ALIASES;

const CELLS = { customer_id: text(), region: text(), sku: text(), week: week(), units: purchaseUnits() };

export interface StreamedCustomerOrders {
  /** Valid order rows (written, unless a dry run or an issue stopped the writing). */
  rows: number;
  customers: number;
  /** Extra columns kept as customer attributes. */
  attributeColumns: string[];
}

/** Where the header's columns are: the known ones (by any alias) and the rest, attributes. */
interface Layout {
  at: Record<Column, number>;
  attributes: Array<{ name: string; at: number }>;
  fields: number;
}

function readHeader(file: string, header: readonly string[], issues: IssueLog): Layout | undefined {
  const before = issues.total;
  if (header.length === 0) {
    issues.push({ file, line: 1, message: 'the file is empty; the first line must name the columns' });
    return undefined;
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) issues.push({ file, line: 1, column: name, message: 'column appears twice' });
    if (name === '') issues.push({ file, line: 1, message: 'a column has no name' });
    seen.add(name);
  }
  const at = {} as Record<Column, number>;
  const taken = new Set<number>();
  let ok = true;
  for (const [column, names] of Object.entries(ALIASES) as Array<[Column, readonly string[]]>) {
    const found = names.filter((n) => seen.has(n));
    if (found.length === 0) {
      issues.push({ file, line: 1, column, message: `required column is missing${names.length > 1 ? ` (or name it ${names.slice(1).join(' or ')})` : ''}` });
      ok = false;
    } else if (found.length > 1) {
      issues.push({ file, line: 1, column: found[1], message: `"${found[0]}" and "${found[1]}" are the same column; keep one` });
      ok = false;
    } else {
      at[column] = header.indexOf(found[0]);
      taken.add(at[column]);
    }
  }
  if (!ok || issues.total > before) return undefined;
  const attributes = header.map((name, j) => ({ name, at: j })).filter((c) => !taken.has(c.at));
  return { at, attributes, fields: header.length };
}

/** Plain decimals become numbers (a tier "2" and a spend "310.5" compare as numbers); the rest stays text. */
function attributeValue(raw: string): string | number {
  const v = raw.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v) && Number.isFinite(Number(v)) ? Number(v) : v;
}

/** Per customer while reading: region counts (first seen wins ties) and the latest attributes. */
interface CustomerTally {
  regions: Map<string, number>;
  attributes: Record<string, string | number>;
  /** The week the attributes were taken from: a later week's values replace them. */
  attributesWeek: string;
}

export async function streamCustomerOrders(o: {
  writer: CustomerOrdersWriter;
  file: string;
  /** A path (streamed from disk) or the whole text (uploads, tests). */
  source: { path: string } | { text: string };
  /** Skus of the products file of the same import (valid or not, as the in-memory check). */
  fileSkus: ReadonlySet<string>;
  issues: IssueLog;
  dryRun: boolean;
  chunkSize?: number;
}): Promise<StreamedCustomerOrders> {
  const { writer, file, issues } = o;
  const chunkSize = o.chunkSize ?? STREAM_CHUNK;
  const checkSkus = skuReferences({ file, fileSkus: o.fileSkus, issues, storedSkus: (s) => writer.storedSkus(s) });
  const customers = new Map<string, CustomerTally>();
  const written = new Set<string>();
  // customer|sku → day number → line: the duplicate check, one small number per row.
  const firstLine = new Map<string, Map<number, number>>();
  let layout: Layout | undefined;
  let sawHeader = false;
  let rows: CustomerOrderRow[] = [];
  let lines: number[] = [];
  let refs: Array<{ line: number; sku: string }> = [];
  let count = 0;
  const caches = new Map<Column, Map<string, { ok: true; value: unknown } | { ok: false; message: string }>>();

  const flush = async () => {
    await checkSkus(refs);
    const taken = await writer.storedOrders(rows);
    rows.forEach((r, i) => {
      if (taken.has(orderKey(r))) issues.push({ file, line: lines[i], message: `an order of customer ${r.customerId}, sku ${r.sku}, week ${r.week} already exists in the database` });
    });
    count += rows.length;
    if (issues.total === 0 && !o.dryRun && rows.length > 0) {
      const fresh = [...new Set(rows.map((r) => r.customerId))].filter((c) => !written.has(c));
      // The final region is known only at the end of the file; the row must exist before its orders.
      await writer.ensureCustomers(fresh.map((id) => ({ id, region: customers.get(id)!.regions.keys().next().value! })));
      for (const c of fresh) written.add(c);
      await writer.insertOrders(rows);
    }
    rows = [];
    lines = [];
    refs = [];
  };

  const check = (record: CsvRecord) => {
    if (!layout) return;
    if (record.fields.length !== layout.fields) {
      issues.push({ file, line: record.line, message: `has ${record.fields.length} fields; the header has ${layout.fields}` });
      return;
    }
    const values = {} as Record<Column, unknown>;
    let ok = true;
    for (const column of Object.keys(ALIASES) as Column[]) {
      const raw = record.fields[layout.at[column]];
      let cache = caches.get(column);
      if (!cache) caches.set(column, (cache = new Map()));
      let parsed = cache.get(raw);
      if (!parsed) {
        const r = CELLS[column].safeParse(raw);
        parsed = r.success ? { ok: true, value: r.data } : { ok: false, message: r.error.issues.map((i) => i.message).join('; ') };
        // Weeks, regions and unit counts repeat: check each distinct text once (bounded).
        if (column !== 'customer_id' && cache.size < 100_000) cache.set(raw, parsed);
      }
      if (parsed.ok) values[column] = parsed.value;
      else {
        ok = false;
        issues.push({ file, line: record.line, column, message: parsed.message });
      }
    }
    const sku = record.fields[layout.at.sku].trim();
    if (sku !== '') refs.push({ line: record.line, sku });
    if (!ok) return;
    const row: CustomerOrderRow = { customerId: values.customer_id as string, sku: values.sku as string, week: values.week as string, units: values.units as number };
    const group = `${row.customerId}|${row.sku}`;
    let weeks = firstLine.get(group);
    if (!weeks) firstLine.set(group, (weeks = new Map()));
    const day = dayNumber(row.week)!;
    const earlier = weeks.get(day);
    if (earlier !== undefined) {
      issues.push({ file, line: record.line, message: `duplicate customer_id ${row.customerId}, sku ${row.sku}, week ${row.week}: already on line ${earlier} (sum a week's order lines into one row)` });
      return;
    }
    weeks.set(day, record.line);
    let tally = customers.get(row.customerId);
    if (!tally) customers.set(row.customerId, (tally = { regions: new Map(), attributes: {}, attributesWeek: '' }));
    const region = values.region as string;
    tally.regions.set(region, (tally.regions.get(region) ?? 0) + 1);
    if (layout.attributes.length > 0 && row.week >= tally.attributesWeek) {
      for (const a of layout.attributes) {
        const raw = record.fields[a.at];
        if (raw.trim() !== '') tally.attributes[a.name] = attributeValue(raw);
      }
      tally.attributesWeek = row.week;
    }
    rows.push(row);
    lines.push(record.line);
  };

  const input = 'path' in o.source ? createReadStream(o.source.path) : Readable.from([o.source.text]);
  const records = streamCsv(input, (p) => issues.push({ file, line: p.line, message: p.message }));
  for await (const record of records) {
    if (!sawHeader) {
      sawHeader = true;
      layout = readHeader(file, record.fields.map((h) => h.trim()), issues);
      continue;
    }
    check(record);
    if (refs.length >= chunkSize) await flush();
  }
  if (!sawHeader) readHeader(file, [], issues);
  await flush();

  if (issues.total === 0 && !o.dryRun && customers.size > 0) {
    const final: CustomerRow[] = [];
    for (const [id, t] of customers) {
      let region = '';
      let best = 0;
      // Map order is first-seen order: a tie keeps the region seen first.
      for (const [r, n] of t.regions) if (n > best) [region, best] = [r, n];
      final.push({ id, region, attributes: t.attributes });
    }
    await writer.finishCustomers(final);
  }
  return { rows: count, customers: customers.size, attributeColumns: layout?.attributes.map((a) => a.name) ?? [] };
}

export const orderKey = (r: { customerId: string; sku: string; week: string }) => `${r.customerId}|${r.sku}|${r.week}`;
