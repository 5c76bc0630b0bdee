/**
 * Pure validation of import files: parse every record of every file, check it against its
 * format, then check duplicates and references across files and against what the database
 * already holds (passed in as `existing`). Every problem is collected; nothing stops early.
 */
import { dayNumber } from '../../engine/calendar/index.js';
import { parseCsv, type CsvRecord } from '../formats/csv.js';
import { IssueLog, type IssueSink } from './errors.js';
import { FORMATS, type Format, type ImportKind } from './formats.js';
import type { MarketplaceRows } from '../load.js';

export interface ImportText {
  /** Name used in messages, e.g. "sales.csv". */
  file: string;
  text: string;
}

/** Keys already in the database, to check references and duplicates. */
export interface ExistingKeys {
  scopes: ReadonlySet<string>;
  products: ReadonlySet<string>;
  candidates: ReadonlySet<string>;
  /** Which of the given keys already exist, per table (only asked for the keys in the files). */
  conflicts: Partial<Record<ImportKind, ReadonlySet<string>>>;
}

export interface ParsedFile<Row> {
  file: string;
  /** Valid rows and the line each came from. */
  rows: Row[];
  lines: number[];
  /**
   * Raw cells of every record with the right field count, valid or not: references are checked
   * on these so a row with a bad cell still gets its unknown sku reported, and a product row
   * with a bad price does not make every sales row of that sku "unknown".
   */
  raw: Array<{ line: number; cells: Record<string, string> }>;
}

export type ParsedFiles = { [K in ImportKind]?: ParsedFile<RowOf<K>> };
type RowOf<K extends ImportKind> = (typeof FORMATS)[K] extends Format<infer R> ? R : never;

/** Parses and checks each file on its own (cells, header, duplicates within the file). */
export function parseFiles(files: Partial<Record<ImportKind, ImportText>>, issues = new IssueLog()): { parsed: ParsedFiles; issues: IssueLog } {
  const parsed: ParsedFiles = {};
  for (const kind of Object.keys(FORMATS) as ImportKind[]) {
    const input = files[kind];
    if (!input) continue;
    // Each kind's format and row type go together; TypeScript cannot follow that through the loop.
    (parsed as Record<string, ParsedFile<unknown>>)[kind] = parseOne(FORMATS[kind] as Format<unknown>, input, issues);
  }
  return { parsed, issues };
}

function parseOne<Row>(format: Format<Row>, input: ImportText, issues: IssueSink): ParsedFile<Row> {
  const { file } = input;
  const out: ParsedFile<Row> = { file, rows: [], lines: [], raw: [] };
  const doc = parseCsv(input.text);
  for (const p of doc.problems) issues.push({ file, line: p.line, message: p.message });
  const checker = recordChecker(format, file, doc.header, issues);
  if (!checker) return out;
  for (const record of doc.records) {
    const checked = checker(record);
    if (checked.cells) out.raw.push({ line: record.line, cells: checked.cells });
    if (checked.row !== undefined) {
      out.rows.push(checked.row);
      out.lines.push(record.line);
    }
  }
  return out;
}

/** What a record turned out to be: its cells when its field count is right, its row when valid. */
export interface CheckedRecord<Row> {
  cells?: Record<string, string>;
  row?: Row;
}

/**
 * Checks a file's header and returns the check of one record (cells, duplicates within the file),
 * or undefined when the header makes every record unreadable. Shared by the in-memory parse and
 * the streamed import; the duplicate check keeps one key per valid row.
 */
export function recordChecker<Row>(format: Format<Row>, file: string, header: readonly string[], issues: IssueSink): ((record: CsvRecord) => CheckedRecord<Row>) | undefined {
  if (header.length === 0) {
    issues.push({ file, line: 1, message: 'the file is empty; the first line must name the columns' });
    return undefined;
  }
  const known = new Set([...format.required, ...format.optional]);
  const seenHeader = new Set<string>();
  for (const name of header) {
    if (!known.has(name)) issues.push({ file, line: 1, column: name, message: `unknown column (expected ${[...known].join(', ')})` });
    if (seenHeader.has(name)) issues.push({ file, line: 1, column: name, message: 'column appears twice' });
    seenHeader.add(name);
  }
  const missing = format.required.filter((c) => !seenHeader.has(c));
  for (const name of missing) issues.push({ file, line: 1, column: name, message: 'required column is missing' });
  if (missing.length > 0) return undefined;

  const firstLine = new KeyLines(format);
  return (record) => {
    if (record.fields.length !== header.length) {
      issues.push({ file, line: record.line, message: `has ${record.fields.length} fields; the header has ${header.length}` });
      return {};
    }
    const cells: Record<string, string> = {};
    header.forEach((name, j) => {
      if (known.has(name)) cells[name] = record.fields[j];
    });
    const result = format.schema.safeParse(cells);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = issue.path.length > 0 ? String(issue.path[0]) : undefined;
        issues.push({ file, line: record.line, column, message: issue.message });
      }
      return { cells };
    }
    const earlier = firstLine.claim(result.data, record.line);
    if (earlier !== undefined) {
      issues.push({ file, line: record.line, message: `duplicate ${describeKey(format, cells)}: already on line ${earlier}` });
      return { cells };
    }
    return { cells, row: result.data };
  };
}

/** The line of each key seen in a file; weekly keys as group → day number → line (formats.ts weekKeyOf). */
class KeyLines<Row> {
  private readonly flat = new Map<string, number>();
  private readonly grouped = new Map<string, Map<number, number>>();
  constructor(private readonly format: Format<Row>) {}

  /** Records `line` for the row's key and returns undefined, or the line that already has it. */
  claim(row: Row, line: number): number | undefined {
    const weekly = this.format.weekKeyOf?.(row);
    const day = weekly && dayNumber(weekly.week);
    if (weekly && day !== undefined) {
      let weeks = this.grouped.get(weekly.group);
      if (!weeks) this.grouped.set(weekly.group, (weeks = new Map()));
      const earlier = weeks.get(day);
      if (earlier === undefined) weeks.set(day, line);
      return earlier;
    }
    const key = this.format.keyOf(row);
    const earlier = this.flat.get(key);
    if (earlier === undefined) this.flat.set(key, line);
    return earlier;
  }
}

function describeKey(format: Format<unknown>, raw: Record<string, string>): string {
  return format.key.map((c) => `${c} ${raw[c]?.trim() || '(empty)'}`).join(', ');
}

/** Checks references and database duplicates once every file is parsed; reports into `issues`. */
export function checkAcrossFiles(parsed: ParsedFiles, existing: ExistingKeys, issues: IssueSink): void {
  const rawValues = (f: ParsedFile<unknown> | undefined, column: string) => f?.raw.map((r) => r.cells[column]?.trim() ?? '') ?? [];
  const skus = new Set([...existing.products, ...rawValues(parsed.products, 'sku')]);
  const scopeIds = new Set([...existing.scopes, ...rawValues(parsed.scopes, 'id')]);
  const refs = (f: ParsedFile<unknown> | undefined, column: string, known: Set<string>, what: string) => {
    for (const { line, cells } of f?.raw ?? []) {
      const value = cells[column]?.trim() ?? '';
      // An empty value is already reported as "is required".
      if (value !== '' && !known.has(value))
        issues.push({ file: f!.file, line, column, message: `unknown ${what} "${value}" (not in the import files nor in the database)` });
    }
  };
  refs(parsed.sales, 'sku', skus, 'sku');
  refs(parsed.inventory, 'sku', skus, 'sku');
  refs(parsed.candidates, 'scope_id', scopeIds, 'scope');
  // Signals belong to a product (a past launch) or a candidate (a launch to come).
  const items = new Set([...skus, ...existing.candidates, ...rawValues(parsed.candidates, 'id')]);
  refs(parsed.prelaunchSignals, 'item_id', items, 'item (a product sku or candidate id)');

  for (const kind of Object.keys(FORMATS) as ImportKind[]) {
    const f = parsed[kind] as ParsedFile<unknown> | undefined;
    const taken = existing.conflicts[kind];
    if (!f || !taken || taken.size === 0) continue;
    const format = FORMATS[kind] as Format<unknown>;
    f.rows.forEach((row, i) => {
      if (taken.has(format.keyOf(row)))
        issues.push({ file: f.file, line: f.lines[i], message: storedRowMessage(kind, format.key, format.keyOf(row)) });
    });
  }
}

/**
 * A row whose key is stored already, named by its values: "a prelaunch_signals row with item_id
 * 22665, week 2010-06-21 already exists in the database" (was "prelaunchSignals row with this
 * item_id, week …", which named neither the table as the formats do nor the row).
 */
export function storedRowMessage(kind: ImportKind, key: readonly string[], keyValue: string): string {
  const table = kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const values = keyValue.split('|');
  const named = values.length === key.length ? key.map((k, i) => `${k} ${values[i] === '' ? '(empty)' : values[i]}`).join(', ') : `${key.join(', ')} ${keyValue}`;
  return `a ${table} row with ${named} already exists in the database`;
}

export function rowsOf(parsed: ParsedFiles): MarketplaceRows {
  return {
    scopes: parsed.scopes?.rows,
    products: parsed.products?.rows,
    candidates: parsed.candidates?.rows,
    sales: parsed.sales?.rows,
    inventory: parsed.inventory?.rows,
    indicators: parsed.indicators?.rows,
    competitorEvents: parsed.competitorEvents?.rows,
    promotions: parsed.promotions?.rows,
    prelaunchSignals: parsed.prelaunchSignals?.rows,
  };
}
