/**
 * Pure validation of import files: parse every record of every file, check it against its
 * format, then check duplicates and references across files and against what the database
 * already holds (passed in as `existing`). Every problem is collected; nothing stops early.
 */
import { parseCsv } from '../formats/csv.js';
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
  if (doc.header.length === 0) {
    issues.push({ file, line: 1, message: 'the file is empty; the first line must name the columns' });
    return out;
  }
  const known = new Set([...format.required, ...format.optional]);
  const seenHeader = new Set<string>();
  for (const name of doc.header) {
    if (!known.has(name)) issues.push({ file, line: 1, column: name, message: `unknown column (expected ${[...known].join(', ')})` });
    if (seenHeader.has(name)) issues.push({ file, line: 1, column: name, message: 'column appears twice' });
    seenHeader.add(name);
  }
  const missing = format.required.filter((c) => !seenHeader.has(c));
  for (const name of missing) issues.push({ file, line: 1, column: name, message: 'required column is missing' });
  if (missing.length > 0) return out;

  const firstLine = new Map<string, number>();
  for (const record of doc.records) {
    if (record.fields.length !== doc.header.length) {
      issues.push({ file, line: record.line, message: `has ${record.fields.length} fields; the header has ${doc.header.length}` });
      continue;
    }
    const raw: Record<string, string> = {};
    doc.header.forEach((name, j) => {
      if (known.has(name)) raw[name] = record.fields[j];
    });
    out.raw.push({ line: record.line, cells: raw });
    const result = format.schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = issue.path.length > 0 ? String(issue.path[0]) : undefined;
        issues.push({ file, line: record.line, column, message: issue.message });
      }
      continue;
    }
    const key = format.keyOf(result.data);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      issues.push({ file, line: record.line, message: `duplicate ${describeKey(format, raw)}: already on line ${earlier}` });
      continue;
    }
    firstLine.set(key, record.line);
    out.rows.push(result.data);
    out.lines.push(record.line);
  }
  return out;
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

  for (const kind of Object.keys(FORMATS) as ImportKind[]) {
    const f = parsed[kind] as ParsedFile<unknown> | undefined;
    const taken = existing.conflicts[kind];
    if (!f || !taken || taken.size === 0) continue;
    const format = FORMATS[kind] as Format<unknown>;
    f.rows.forEach((row, i) => {
      if (taken.has(format.keyOf(row)))
        issues.push({ file: f.file, line: f.lines[i], message: `${kind} row with this ${format.key.join(', ')} already exists in the database` });
    });
  }
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
  };
}
