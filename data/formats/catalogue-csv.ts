/**
 * Parsers for the catalogue CSV format (the `coldstart` command's --sales/--items/--candidates/
 * --calendar files), on the shared reader in ./csv.ts. Every rejected row names file, line and column, so
 * an import of a real catalogue can be fixed from the message alone.
 */
import type { AttributeKind, AttributeSchema, AttributeValue, Catalogue, CandidateRow, CovariateRow, ItemRow, SalesRow } from '../../engine/coldstart/index.js';
import { parseCsv as parseCsvDocument } from './csv.js';

export class CsvValidationError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | undefined,
    readonly problem: string,
  ) {
    super(`${file}:${line}${column ? ` column "${column}"` : ''}: ${problem}`);
    this.name = 'CsvValidationError';
  }
}

export interface CsvTable {
  file: string;
  header: string[];
  /** Rows with their 1-based line numbers in the file. */
  rows: Array<{ line: number; cells: string[] }>;
}

/** Reads a catalogue file's text into a table: a header, unique columns, every row as wide as the header. */
export function parseCsv(text: string, file: string): CsvTable {
  const doc = parseCsvDocument(text);
  const problem = doc.problems[0];
  if (problem) throw new CsvValidationError(file, problem.line, undefined, problem.message);
  const header = doc.header;
  if (header.length === 0 || header[0] === '') throw new CsvValidationError(file, 1, undefined, 'missing header row');
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new CsvValidationError(file, 1, h, 'duplicate column');
    seen.add(h);
  }
  const rows: CsvTable['rows'] = [];
  for (const { line, fields } of doc.records) {
    if (fields.length !== header.length) throw new CsvValidationError(file, line, undefined, `expected ${header.length} fields, got ${fields.length}`);
    rows.push({ line, cells: fields.map((c) => c.trim()) });
  }
  return { file, header, rows };
}

function requireColumns(t: CsvTable, cols: string[]): void {
  for (const c of cols)
    if (!t.header.includes(c)) throw new CsvValidationError(t.file, 1, c, `missing required column (have: ${t.header.join(', ')})`);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Validates an ISO date that is a Monday (weeks are identified by their Monday). */
export function checkMonday(value: string, file: string, line: number, column: string): string {
  if (!ISO_DATE.test(value)) throw new CsvValidationError(file, line, column, `"${value}" is not a date YYYY-MM-DD`);
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new CsvValidationError(file, line, column, `"${value}" is not a valid date`);
  if (d.getUTCDay() !== 1) throw new CsvValidationError(file, line, column, `${value} is not a Monday (weeks start on Monday)`);
  return value;
}

export function parseSales(t: CsvTable): SalesRow[] {
  requireColumns(t, ['item_id', 'week', 'units']);
  const [ci, cw, cu] = ['item_id', 'week', 'units'].map((c) => t.header.indexOf(c));
  const seen = new Set<string>();
  return t.rows.map(({ line, cells }) => {
    const itemId = cells[ci];
    if (!itemId) throw new CsvValidationError(t.file, line, 'item_id', 'empty item id');
    const week = checkMonday(cells[cw], t.file, line, 'week');
    const units = Number(cells[cu]);
    if (cells[cu] === '' || !Number.isFinite(units) || units < 0)
      throw new CsvValidationError(t.file, line, 'units', `"${cells[cu]}" is not a non-negative number`);
    const key = `${itemId}\u0000${week}`;
    if (seen.has(key)) throw new CsvValidationError(t.file, line, 'week', `duplicate row for item ${itemId} week ${week}`);
    seen.add(key);
    return { itemId, week, units };
  });
}


/**
 * Infers each attribute column's kind from the items file: numeric when every non-empty
 * value parses as a finite number, categorical otherwise. `overrides` force a kind per column
 * (the CLI's --categorical/--numeric); a column it names must exist, and a numeric override
 * must parse. Digit codes stay numeric unless forced: sequentially allocated codes (stock-code
 * prefixes) order items by age, which the backtests showed the model uses (see docs/gpu.md).
 */
export function inferSchema(t: CsvTable, exclude: string[] = ['item_id', 'launch_week'], overrides: Record<string, AttributeKind> = {}): AttributeSchema {
  const columns = t.header.filter((h) => !exclude.includes(h));
  for (const c of Object.keys(overrides))
    if (!columns.includes(c)) throw new CsvValidationError(t.file, 1, c, `--${overrides[c]} names column "${c}", which is not an attribute column of the items file (columns: ${columns.join(', ')})`);
  const kinds: AttributeSchema['kinds'] = {};
  for (const c of columns) {
    const j = t.header.indexOf(c);
    const cells = t.rows.map(({ cells: r }) => r[j] ?? '');
    const numeric = cells.every((v) => v === '' || Number.isFinite(Number(v))) && cells.some((v) => v !== '');
    const forced = overrides[c];
    if (forced === 'numeric' && !numeric) {
      const k = cells.findIndex((v) => v !== '' && !Number.isFinite(Number(v)));
      if (k < 0) throw new CsvValidationError(t.file, 1, c, `--numeric ${c}: the column has no values`);
      throw new CsvValidationError(t.file, t.rows[k].line, c, `--numeric ${c}: value "${cells[k]}" is not a number`);
    }
    kinds[c] = forced ?? (numeric ? 'numeric' : 'categorical');
  }
  return { columns, kinds };
}

function parseAttributes(t: CsvTable, schema: AttributeSchema, line: number, cells: string[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const c of schema.columns) {
    const j = t.header.indexOf(c);
    if (j < 0) throw new CsvValidationError(t.file, 1, c, 'missing attribute column present in the items file');
    const raw = cells[j];
    if (schema.kinds[c] === 'numeric') {
      // Empty numerics are allowed (imputed later); anything else must parse.
      const v = raw === '' ? Number.NaN : Number(raw);
      if (raw !== '' && !Number.isFinite(v)) throw new CsvValidationError(t.file, line, c, `"${raw}" is not a number`);
      out[c] = v;
    } else out[c] = raw;
  }
  return out;
}

export function parseItems(t: CsvTable, schema: AttributeSchema = inferSchema(t)): ItemRow[] {
  requireColumns(t, ['item_id']);
  const ci = t.header.indexOf('item_id');
  const seen = new Set<string>();
  return t.rows.map(({ line, cells }) => {
    const itemId = cells[ci];
    if (!itemId) throw new CsvValidationError(t.file, line, 'item_id', 'empty item id');
    if (seen.has(itemId)) throw new CsvValidationError(t.file, line, 'item_id', `duplicate item ${itemId}`);
    seen.add(itemId);
    return { itemId, attributes: parseAttributes(t, schema, line, cells) };
  });
}

/** Candidates must carry the items file's attribute columns (same schema) plus launch_week. */
export function parseCandidates(t: CsvTable, schema: AttributeSchema): CandidateRow[] {
  requireColumns(t, ['item_id', 'launch_week', ...schema.columns]);
  const cl = t.header.indexOf('launch_week');
  return parseItems(t, schema).map((it, k) => {
    const { line, cells } = t.rows[k];
    return { ...it, launchWeek: checkMonday(cells[cl], t.file, line, 'launch_week') };
  });
}

/**
 * The optional calendar file: `week,name,value[,<attribute columns>]`, one row per covariate
 * and week (see covariates.ts): e.g. `2010-11-29,discount,0.2,MUG` or `2010-12-20,christmas,1,`.
 * Attribute cells restrict a row to the items with that value; blank means every item.
 */
export function parseCalendar(t: CsvTable, schema: AttributeSchema): CovariateRow[] {
  requireColumns(t, ['week', 'name', 'value']);
  const [cw, cn, cv] = ['week', 'name', 'value'].map((c) => t.header.indexOf(c));
  const matchCols = t.header.filter((h) => !['week', 'name', 'value'].includes(h));
  for (const c of matchCols)
    if (!schema.columns.includes(c))
      throw new CsvValidationError(t.file, 1, c, `not an attribute column of the items file (a calendar row can match on: ${schema.columns.join(', ') || 'none'})`);
  return t.rows.map(({ line, cells }) => {
    const week = checkMonday(cells[cw], t.file, line, 'week');
    const name = cells[cn];
    if (!name) throw new CsvValidationError(t.file, line, 'name', 'empty covariate name');
    const value = Number(cells[cv]);
    if (cells[cv] === '' || !Number.isFinite(value)) throw new CsvValidationError(t.file, line, 'value', `"${cells[cv]}" is not a number`);
    const match: Record<string, string> = {};
    for (const c of matchCols) {
      const v = cells[t.header.indexOf(c)];
      if (v === '') continue;
      if (schema.kinds[c] === 'numeric' && !Number.isFinite(Number(v))) throw new CsvValidationError(t.file, line, c, `"${v}" is not a number (${c} is numeric in the items file)`);
      match[c] = v;
    }
    return { week, name, value, ...(Object.keys(match).length ? { match } : {}) };
  });
}


/** A CSV file's text and the name its errors quote (a path, or a label). */
export interface CsvText {
  text: string;
  file: string;
}

/**
 * Parses sales + items (+ candidates, + calendar) texts; the schema comes from the items file.
 * Reading them is the caller's (services/catalogue-files.ts reads paths).
 */
export function parseCatalogue(
  texts: { sales: CsvText; items: CsvText; candidates?: CsvText; calendar?: CsvText },
  kinds: Record<string, AttributeKind> = {},
): Catalogue & { candidates: CandidateRow[]; covariates: CovariateRow[] } {
  const itemsTable = parseCsv(texts.items.text, texts.items.file);
  const schema = inferSchema(itemsTable, undefined, kinds);
  const items = parseItems(itemsTable, schema);
  const sales = parseSales(parseCsv(texts.sales.text, texts.sales.file));
  const candidates = texts.candidates ? parseCandidates(parseCsv(texts.candidates.text, texts.candidates.file), schema) : [];
  const covariates = texts.calendar ? parseCalendar(parseCsv(texts.calendar.text, texts.calendar.file), schema) : [];
  return { sales, items, schema, candidates, covariates };
}
