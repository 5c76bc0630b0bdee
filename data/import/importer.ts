/**
 * The import use case: read the files, validate everything, and only then write all rows in
 * one transaction. The database checks (known skus and scopes, rows that already exist) run
 * inside that same transaction, so what was checked is what is written against.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Database } from '../../db/client.js';
import type { Tx } from '../bulk.js';
import { DEFAULT_CHUNK } from '../bulk.js';
import { insertMarketplaceRows } from '../load.js';
import { ImportValidationError, type ImportIssue } from './errors.js';
import { FORMATS, type ImportKind } from './formats.js';
import { checkAcrossFiles, parseFiles, rowsOf, type ExistingKeys, type ImportText, type ParsedFiles } from './validate.js';

/** Paths of the CSV files to import, by table; any subset. */
export type ImportFiles = Partial<Record<ImportKind, string>>;

export interface ImportOptions {
  /** Validate only; write nothing. */
  dryRun?: boolean;
  chunkSize?: number;
}

export interface ImportResult {
  /** Rows written per table (rows that would be written, on a dry run). */
  inserted: Record<string, number>;
  dryRun: boolean;
}

export async function importCsvFiles(database: Database, files: ImportFiles, options: ImportOptions = {}): Promise<ImportResult> {
  const texts: Partial<Record<ImportKind, ImportText>> = {};
  const issues: ImportIssue[] = [];
  for (const kind of Object.keys(FORMATS) as ImportKind[]) {
    const path = files[kind];
    if (!path) continue;
    try {
      texts[kind] = { file: basename(path), text: await readFile(path, 'utf8') };
    } catch (err) {
      issues.push({ file: path, line: 0, message: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    }
  }
  if (issues.length > 0) throw new ImportValidationError(issues);
  return importCsvTexts(database, texts, options);
}

/** The same from file contents already in memory (uploads, tests). */
export async function importCsvTexts(
  database: Database,
  texts: Partial<Record<ImportKind, ImportText>>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  if (Object.values(texts).every((t) => t === undefined)) throw new ImportValidationError([{ file: '(none)', line: 0, message: 'no files to import' }]);
  const { parsed, issues } = parseFiles(texts);
  const dryRun = options.dryRun ?? false;
  const inserted = await database.sql.begin(async (tx) => {
    const existing = await existingKeys(tx, parsed);
    issues.push(...checkAcrossFiles(parsed, existing));
    if (issues.length > 0) throw new ImportValidationError(sortIssues(issues));
    const rows = rowsOf(parsed);
    if (dryRun) return Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v?.length ?? 0]));
    return insertMarketplaceRows(tx, rows, options.chunkSize ?? DEFAULT_CHUNK);
  });
  return { inserted, dryRun };
}

/** File by file, line by line; issues of one line keep the column order they were found in. */
function sortIssues(issues: ImportIssue[]): ImportIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => a.issue.file.localeCompare(b.issue.file) || a.issue.line - b.issue.line || a.i - b.i)
    .map(({ issue }) => issue);
}

async function existingKeys(tx: Tx, parsed: ParsedFiles): Promise<ExistingKeys> {
  const scopeRows = await tx<{ id: string }[]>`select id from scopes`;
  const cells = (f: { raw: Array<{ cells: Record<string, string> }> } | undefined, column: string) =>
    f?.raw.map((r) => r.cells[column]?.trim() ?? '') ?? [];
  const referenced = [...cells(parsed.products, 'sku'), ...cells(parsed.sales, 'sku'), ...cells(parsed.inventory, 'sku')];
  const skuRows = referenced.length
    ? await tx<{ sku: string }[]>`select sku from products where sku = any(${tx.array([...new Set(referenced)])}::text[])`
    : [];
  const candidateIds = parsed.candidates?.rows.map((r) => r.id) ?? [];
  const candidateRows = candidateIds.length
    ? await tx<{ id: string }[]>`select id from candidates where id = any(${tx.array(candidateIds)}::text[])`
    : [];
  const products = new Set(skuRows.map((r) => r.sku));
  const candidates = new Set(candidateRows.map((r) => r.id));
  const conflicts: ExistingKeys['conflicts'] = {
    products: new Set((parsed.products?.rows ?? []).map((r) => r.sku).filter((s) => products.has(s))),
    candidates,
  };
  const keys = async (query: Promise<{ key: string }[]>) => new Set((await query).map((r) => r.key));
  const s = parsed.sales?.rows;
  if (s?.length)
    conflicts.sales = await keys(tx<{ key: string }[]>`
      select t.sku || '|' || t.region || '|' || t.week::text as key from sales t
      join unnest(${tx.array(s.map((r) => r.sku))}::text[], ${tx.array(s.map((r) => r.region))}::text[], ${tx.array(s.map((r) => r.week))}::date[])
        as k(sku, region, week) on t.sku = k.sku and t.region = k.region and t.week = k.week`);
  const inv = parsed.inventory?.rows;
  if (inv?.length)
    conflicts.inventory = await keys(tx<{ key: string }[]>`
      select t.sku || '|' || t.region || '|' || t.week::text as key from inventory_snapshots t
      join unnest(${tx.array(inv.map((r) => r.sku))}::text[], ${tx.array(inv.map((r) => r.region))}::text[], ${tx.array(inv.map((r) => r.week))}::date[])
        as k(sku, region, week) on t.sku = k.sku and t.region = k.region and t.week = k.week`);
  const ind = parsed.indicators?.rows;
  if (ind?.length)
    conflicts.indicators = await keys(tx<{ key: string }[]>`
      select t.name || '|' || t.week::text as key from indicators t
      join unnest(${tx.array(ind.map((r) => r.name))}::text[], ${tx.array(ind.map((r) => r.week))}::date[]) as k(name, week)
        on t.name = k.name and t.week = k.week`);
  // Events and promotions have no unique constraint; still refuse to import the same rows twice.
  const ev = parsed.competitorEvents?.rows;
  if (ev?.length)
    conflicts.competitorEvents = await keys(tx<{ key: string }[]>`
      select concat_ws('|', competitor, category, region, week::text, kind) as key from competitor_events
      where week = any(${tx.array([...new Set(ev.map((r) => r.week))])}::date[])`);
  const pr = parsed.promotions?.rows;
  if (pr?.length)
    conflicts.promotions = await keys(tx<{ key: string }[]>`
      select name || '|' || region || '|' || coalesce(category, '') || '|' || start_week::text as key from promotions
      where start_week = any(${tx.array([...new Set(pr.map((r) => r.startWeek))])}::date[])`);
  return { scopes: new Set(scopeRows.map((r) => r.id)), products, candidates, conflicts };
}

