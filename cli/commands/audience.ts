/**
 * `launchloop audience --orders FILE --items FILE --candidates FILE --top K --output OUT
 *  [--shares FILE]`
 * Ranks, for each candidate (a product with no buyers yet), the existing customers most likely
 * to buy it in its first 13 weeks (engine/audience) and writes `item_id,customer_id,score`,
 * the K best per candidate (higher score = more likely; the score is a logit).
 * --shares also writes each candidate's expected demand share per region and per customer
 * segment as `item_id,breakdown,key,share` (breakdown = region | segment).
 *
 * Files: orders `customer_id,country,item_id,week,units` (weeks ISO Mondays); items
 * `item_id,category,keyword,prefix,price`; candidates the same plus optional `launch_week`.
 * Other columns are ignored. Every bad cell is reported as `file:line: column "c": problem`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import { parseFlags, positiveInt, requireFlag, UsageError } from '../args.js';
import { parseCsv } from '../../data/formats/csv.js';
import { number, purchaseUnits, text, week } from '../../data/import/cells.js';
import { formatIssue, type ImportIssue } from '../../data/import/errors.js';
import { buildAudiences, type AudienceCandidate, type AudienceItem, type AudienceResult, type OrderRow, type TruthRow } from '../../engine/audience/index.js';

/** Thrown with every problem found in the input files (the first 20 shown). */
export class AudienceInputError extends UsageError {
  constructor(readonly issues: ImportIssue[]) {
    const shown = issues.slice(0, 20).map(formatIssue);
    if (issues.length > shown.length) shown.push(`… and ${issues.length - shown.length} more`);
    super(`bad input, nothing was written: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${shown.join('\n')}`);
  }
}

export const help = `usage: launchloop audience --orders FILE --items FILE --candidates FILE --top K --output OUT
                          [--shares FILE]

Ranks, for each candidate, the existing customers most likely to buy it in its first 13 weeks
and writes the K best per candidate as \`item_id,customer_id,score\`. --shares also writes each
candidate's expected demand share per region and customer segment. No stack needed.
Files: orders \`customer_id,country,item_id,week,units\`; items \`item_id,category,keyword,prefix,price\`;
candidates the same plus optional \`launch_week\`.`;

type Cell = z.ZodType<unknown, string>;

/**
 * Parses one CSV text into rows of typed cells: required columns must be present, optional
 * ones may be missing or empty, others are ignored. Repeated cell texts (weeks, countries)
 * are checked once.
 */
function readTable<Row>(
  file: string,
  content: string,
  required: Record<string, Cell>,
  optional: Record<string, Cell>,
  issues: ImportIssue[],
  build: (cells: Record<string, unknown>) => Row,
): Array<{ line: number; row: Row }> {
  const doc = parseCsv(content);
  for (const p of doc.problems) issues.push({ file, line: p.line, message: p.message });
  if (doc.header.length === 0) {
    issues.push({ file, line: 1, message: 'the file is empty; the first line must name the columns' });
    return [];
  }
  const seen = new Set<string>();
  for (const name of doc.header) {
    if (seen.has(name)) issues.push({ file, line: 1, column: name, message: 'column appears twice' });
    seen.add(name);
  }
  const missing = Object.keys(required).filter((c) => !seen.has(c));
  for (const name of missing) issues.push({ file, line: 1, column: name, message: `required column is missing (expected ${Object.keys(required).join(', ')})` });
  if (missing.length > 0) return [];
  const columns = [...Object.entries(required), ...Object.entries(optional)]
    .map(([name, cell]) => ({ name, cell, at: doc.header.indexOf(name), optional: name in optional }))
    .filter((c) => c.at >= 0);
  const caches = columns.map(() => new Map<string, { ok: true; value: unknown } | { ok: false; message: string }>());
  const out: Array<{ line: number; row: Row }> = [];
  for (const record of doc.records) {
    if (record.fields.length !== doc.header.length) {
      issues.push({ file, line: record.line, message: `has ${record.fields.length} fields; the header has ${doc.header.length}` });
      continue;
    }
    const cells: Record<string, unknown> = {};
    let ok = true;
    columns.forEach((col, k) => {
      const raw = record.fields[col.at];
      if (col.optional && raw.trim() === '') return;
      let parsed = caches[k].get(raw);
      if (!parsed) {
        const r = col.cell.safeParse(raw);
        parsed = r.success ? { ok: true, value: r.data } : { ok: false, message: r.error.issues.map((i) => i.message).join('; ') };
        // Texts repeat (weeks, countries, unit counts): check each distinct text once.
        if (caches[k].size < 100_000) caches[k].set(raw, parsed);
      }
      if (parsed.ok) cells[col.name] = parsed.value;
      else {
        ok = false;
        issues.push({ file, line: record.line, column: col.name, message: parsed.message });
      }
    });
    if (ok) out.push({ line: record.line, row: build(cells) });
  }
  return out;
}

export interface AudienceTexts {
  orders: { file: string; text: string };
  items: { file: string; text: string };
  candidates: { file: string; text: string };
}

export interface AudienceFiles {
  orders: OrderRow[];
  items: AudienceItem[];
  candidates: AudienceCandidate[];
}

const itemColumns = { item_id: text(), category: text(), keyword: text(), prefix: text(), price: number({ min: 0 }) };
const toItem = (c: Record<string, unknown>): AudienceItem => ({
  itemId: c.item_id as string,
  category: c.category as string,
  keyword: c.keyword as string,
  prefix: c.prefix as string,
  price: c.price as number,
});

/** Parses and checks the three input texts; throws AudienceInputError listing every problem. */
export function parseAudienceTexts(texts: AudienceTexts): AudienceFiles {
  const issues: ImportIssue[] = [];
  const orders = readTable(
    texts.orders.file,
    texts.orders.text,
    // Units > 0, as the customer orders import takes them: the engine refuses 0 (log units per line).
    { customer_id: text(), country: text(), item_id: text(), week: week(), units: purchaseUnits() },
    {},
    issues,
    (c): OrderRow => ({ customerId: c.customer_id as string, country: c.country as string, itemId: c.item_id as string, week: c.week as string, units: c.units as number }),
  );
  if (orders.length === 0 && !issues.some((i) => i.file === texts.orders.file)) issues.push({ file: texts.orders.file, line: 1, message: 'no orders: an audience needs purchase histories' });
  const items = readTable(texts.items.file, texts.items.text, itemColumns, {}, issues, toItem);
  const candidates = readTable(texts.candidates.file, texts.candidates.text, itemColumns, { launch_week: week() }, issues, (c): AudienceCandidate => ({
    ...toItem(c),
    ...(c.launch_week !== undefined ? { launchWeek: c.launch_week as string } : {}),
  }));
  for (const [file, rows] of [
    [texts.items.file, items],
    [texts.candidates.file, candidates],
  ] as const) {
    const first = new Map<string, number>();
    for (const { line, row } of rows) {
      const earlier = first.get(row.itemId);
      if (earlier !== undefined) issues.push({ file, line, column: 'item_id', message: `duplicate item_id ${row.itemId}: already on line ${earlier}` });
      else first.set(row.itemId, line);
    }
  }
  if (issues.length > 0) throw new AudienceInputError(issues);
  return { orders: orders.map((r) => r.row), items: items.map((r) => r.row), candidates: candidates.map((r) => r.row) };
}

/** Truth for evaluation: `item_id,customer_id,units`. */
export function parseTruthText(file: string, content: string): TruthRow[] {
  const issues: ImportIssue[] = [];
  const rows = readTable(file, content, { item_id: text(), customer_id: text(), units: number({ min: 0 }) }, {}, issues, (c): TruthRow => ({
    itemId: c.item_id as string,
    customerId: c.customer_id as string,
    units: c.units as number,
  }));
  if (issues.length > 0) throw new AudienceInputError(issues);
  return rows.map((r) => r.row);
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--${flag} ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export async function readAudienceFiles(paths: { orders: string; items: string; candidates: string }): Promise<AudienceFiles> {
  const [orders, items, candidates] = await Promise.all([readText(paths.orders, 'orders'), readText(paths.items, 'items'), readText(paths.candidates, 'candidates')]);
  return parseAudienceTexts({
    orders: { file: paths.orders, text: orders },
    items: { file: paths.items, text: items },
    candidates: { file: paths.candidates, text: candidates },
  });
}

export function audienceCsv(result: AudienceResult): string {
  const lines = ['item_id,customer_id,score'];
  for (const a of result.audiences) for (const m of a.audience) lines.push(`${csvCell(a.itemId)},${csvCell(m.customerId)},${m.score.toFixed(6)}`);
  return lines.join('\n') + '\n';
}

export function sharesCsv(result: AudienceResult): string {
  const lines = ['item_id,breakdown,key,share'];
  for (const a of result.audiences) {
    for (const s of a.byRegion) lines.push(`${csvCell(a.itemId)},region,${csvCell(s.key)},${s.share.toFixed(6)}`);
    for (const s of a.bySegment) lines.push(`${csvCell(a.itemId)},segment,${csvCell(s.key)},${s.share.toFixed(6)}`);
  }
  return lines.join('\n') + '\n';
}

export async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    orders: { type: 'string' },
    items: { type: 'string' },
    candidates: { type: 'string' },
    top: { type: 'string' },
    output: { type: 'string' },
    shares: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (audience takes flags only)`);
  const paths = { orders: requireFlag(values.orders, 'orders'), items: requireFlag(values.items, 'items'), candidates: requireFlag(values.candidates, 'candidates') };
  const top = positiveInt(values.top, 'top');
  const output = requireFlag(values.output, 'output');
  const started = performance.now();
  const files = await readAudienceFiles(paths);
  const result = buildAudiences({ ...files, top });
  await writeFile(output, audienceCsv(result));
  if (values.shares) await writeFile(values.shares, sharesCsv(result));
  const rows = result.audiences.reduce((n, a) => n + a.audience.length, 0);
  console.error(
    `audience: wrote ${rows} rows for ${result.audiences.length} candidates to ${output} in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
      `(${result.model.trained ? `model fitted on ${result.model.queries} launches inside the history` : 'no launch in the history to learn from: category affinity × activity'})`,
  );
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
