/**
 * The import use case: read the files, validate everything, and write all rows in one
 * transaction, or none. The sales file is streamed in chunks (checked, then written) so a file of
 * millions of rows never sits in memory; the other files are small and read whole. The database
 * checks (known skus and scopes, rows that already exist) run inside that same transaction, so
 * what was checked is what is written against.
 */
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Database } from '../../db/client.js';
import { marketplaceRepository, type MarketplaceTransaction } from '../../db/repositories/marketplace.repository.js';
import { applyDefaults, DEFAULT_MARGIN, type DefaultsReport, type MarginRule, type StoredContext } from './defaults.js';
import { ImportValidationError, type ImportIssue } from './errors.js';
import { streamSales } from './stream.js';
import { FORMATS, type ImportKind } from './formats.js';
import { checkAcrossFiles, parseFiles, rowsOf, type ExistingKeys, type ImportText, type ParsedFiles } from './validate.js';

/** Paths of the CSV files to import, by table; any subset. */
export type ImportFiles = Partial<Record<ImportKind, string>>;

export interface ImportOptions {
  /** Validate only; write nothing. */
  dryRun?: boolean;
  chunkSize?: number;
  /** Gross margin that prices empty `unit_cost`s (default 0.5 for every category; FORMATS.md). */
  margin?: MarginRule;
}

export interface ImportResult {
  /** Rows written per table (rows that would be written, on a dry run). */
  inserted: Record<string, number>;
  dryRun: boolean;
  /** Defaults filled in, categories in no scope, wildcards expanded, rules sized (never silent). */
  report: DefaultsReport;
}

export async function importCsvFiles(database: Database, files: ImportFiles, options: ImportOptions = {}): Promise<ImportResult> {
  const texts: Partial<Record<ImportKind, ImportText>> = {};
  const issues: ImportIssue[] = [];
  let sales: { file: string; path: string } | undefined;
  for (const kind of Object.keys(FORMATS) as ImportKind[]) {
    const path = files[kind];
    if (!path) continue;
    try {
      if (kind === 'sales') {
        // Streamed later (the large file); find an unreadable one now, with the others.
        await access(path, constants.R_OK);
        if (!(await stat(path)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
        sales = { file: basename(path), path };
      } else texts[kind] = { file: basename(path), text: await readFile(path, 'utf8') };
    } catch (err) {
      issues.push({ file: path, line: 0, message: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    }
  }
  if (issues.length > 0) throw new ImportValidationError(issues);
  return importParsed(database, texts, sales, options);
}

/** The same from file contents already in memory (uploads, tests). */
export async function importCsvTexts(
  database: Database,
  texts: Partial<Record<ImportKind, ImportText>>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  return importParsed(database, texts, undefined, options);
}

/**
 * All files in one transaction: the sales file (when given as a path) streamed in first, chunk by
 * chunk, then the others checked and written. Any issue anywhere throws, which rolls back the
 * sales chunks already written too: nothing is written unless everything is valid.
 */
async function importParsed(
  database: Database,
  texts: Partial<Record<ImportKind, ImportText>>,
  salesFile: { file: string; path: string } | undefined,
  options: ImportOptions,
): Promise<ImportResult> {
  if (!salesFile && Object.values(texts).every((t) => t === undefined)) throw new ImportValidationError([{ file: '(none)', line: 0, message: 'no files to import' }]);
  const { parsed, issues } = parseFiles(texts);
  const dryRun = options.dryRun ?? false;
  let report: DefaultsReport | undefined;
  const inserted = await marketplaceRepository(database).transaction(async (tx) => {
    const sales = salesFile
      ? await streamSales({
          tx,
          ...salesFile,
          fileSkus: new Set(parsed.products?.raw.map((r) => r.cells.sku?.trim() ?? '') ?? []),
          issues,
          dryRun,
          chunkSize: options.chunkSize,
        })
      : undefined;
    const { existing, stored } = await existingKeys(tx, parsed);
    checkAcrossFiles(parsed, existing, issues);
    const newScopes = new Set((parsed.scopes?.rows ?? []).map((s) => s.id).filter((id) => !existing.scopes.has(id)));
    report = applyDefaults(parsed, stored, options.margin ?? { default: DEFAULT_MARGIN }, newScopes, issues, sales?.summary);
    if (issues.total > 0) throw new ImportValidationError(sortIssues(issues.kept), issues.total);
    const rows = rowsOf(parsed);
    const counts = dryRun ? Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v?.length ?? 0])) : await tx.insert(rows, options.chunkSize);
    return sales ? { ...counts, sales: sales.rows } : counts;
  });
  return { inserted, dryRun, report: report! };
}

/** File by file, line by line; issues of one line keep the column order they were found in. */
function sortIssues(issues: ImportIssue[]): ImportIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => a.issue.file.localeCompare(b.issue.file) || a.issue.line - b.issue.line || a.i - b.i)
    .map(({ issue }) => issue);
}

async function existingKeys(tx: MarketplaceTransaction, parsed: ParsedFiles): Promise<{ existing: ExistingKeys; stored: StoredContext }> {
  const cells = (f: { raw: Array<{ cells: Record<string, string> }> } | undefined, column: string) =>
    f?.raw.map((r) => r.cells[column]?.trim() ?? '') ?? [];
  const stored = await tx.storedKeys({
    skus: [...cells(parsed.products, 'sku'), ...cells(parsed.sales, 'sku'), ...cells(parsed.inventory, 'sku')],
    candidateIds: parsed.candidates?.rows.map((r) => r.id) ?? [],
    sales: parsed.sales?.rows ?? [],
    inventory: parsed.inventory?.rows ?? [],
    indicators: parsed.indicators?.rows ?? [],
    competitorEventWeeks: parsed.competitorEvents?.rows.map((r) => r.week) ?? [],
    promotionStartWeeks: parsed.promotions?.rows.map((r) => r.startWeek) ?? [],
  });
  const { scopes, products, candidates, scopeCategories, categories, salesThrough, ...tables } = stored;
  const conflicts: ExistingKeys['conflicts'] = {
    ...tables,
    products: new Set((parsed.products?.rows ?? []).map((r) => r.sku).filter((s) => products.has(s))),
    candidates,
  };
  return { existing: { scopes, products, candidates, conflicts }, stored: { scopeCategories, categories, salesThrough } };
}
