/**
 * The import use case: read the files, validate everything, and write all rows in one
 * transaction, or none. The sales and customer orders files are streamed in chunks (checked, then written) so a file of
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
import { streamCustomerOrders, type StreamedCustomerOrders } from './customer-orders.js';
import { streamSales } from './stream.js';
import { FORMATS, type FileKind, type ImportKind } from './formats.js';
import { checkAcrossFiles, parseFiles, rowsOf, type ExistingKeys, type ImportText, type ParsedFiles } from './validate.js';

/** Paths of the CSV files to import, by table; any subset. */
export type ImportFiles = Partial<Record<FileKind, string>>;

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
  /** The customer orders file's customers and the extra columns kept as their attributes. */
  customerOrders?: Omit<StreamedCustomerOrders, 'rows'>;
  /** The pre-launch signals file's items: candidates and past launches (products). */
  prelaunchSignals?: SignalItems;
}

export interface SignalItems {
  candidates: number;
  pastLaunches: number;
}

/**
 * How many distinct candidates and products (past launches) a signals file covers. The loop
 * corrects a candidate's curve only from its scope's past launches with signals, so a file of
 * candidates alone changes no forecast unless such launches are stored already: the import says so.
 */
export function signalItems(rows: ReadonlyArray<{ itemId: string }>, candidateIds: ReadonlySet<string>): SignalItems {
  const items = new Set(rows.map((r) => r.itemId));
  let candidates = 0;
  for (const id of items) if (candidateIds.has(id)) candidates++;
  return { candidates, pastLaunches: items.size - candidates };
}

/** A streamed file: read from disk, or a text already in memory (uploads, tests). */
type Streamed = { file: string; source: { path: string } | { text: string } };

/** Why a file cannot be read, in words, with the system's code for searching ("ENOENT" alone said little). */
export function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'a directory, not a file' };
  if (code && words[code]) return `cannot read the file: ${words[code]} (${code})`;
  return `cannot read the file: ${code ?? (err instanceof Error ? err.message : String(err))}`;
}

export async function importCsvFiles(database: Database, files: ImportFiles, options: ImportOptions = {}): Promise<ImportResult> {
  const texts: Partial<Record<ImportKind, ImportText>> = {};
  const issues: ImportIssue[] = [];
  let sales: { file: string; path: string } | undefined;
  let orders: Streamed | undefined;
  for (const kind of [...Object.keys(FORMATS), 'customerOrders'] as FileKind[]) {
    const path = files[kind];
    if (!path) continue;
    try {
      if (kind === 'sales' || kind === 'customerOrders') {
        // Streamed later (the large files); find an unreadable one now, with the others.
        await access(path, constants.R_OK);
        if (!(await stat(path)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
        if (kind === 'sales') sales = { file: basename(path), path };
        else orders = { file: basename(path), source: { path } };
      } else texts[kind] = { file: basename(path), text: await readFile(path, 'utf8') };
    } catch (err) {
      issues.push({ file: path, line: 0, message: unreadable(err) });
    }
  }
  if (issues.length > 0) throw new ImportValidationError(issues);
  return importParsed(database, texts, sales, orders, options);
}

/** The same from file contents already in memory (uploads, tests). */
export async function importCsvTexts(
  database: Database,
  texts: Partial<Record<FileKind, ImportText>>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { customerOrders, ...tables } = texts;
  return importParsed(database, tables, undefined, customerOrders && { file: customerOrders.file, source: { text: customerOrders.text } }, options);
}

/**
 * All files in one transaction: the sales file (when given as a path) and the customer orders file streamed in first, chunk by
 * chunk, then the others checked and written. Any issue anywhere throws, which rolls back the
 * sales chunks already written too: nothing is written unless everything is valid.
 */
async function importParsed(
  database: Database,
  texts: Partial<Record<ImportKind, ImportText>>,
  salesFile: { file: string; path: string } | undefined,
  ordersFile: Streamed | undefined,
  options: ImportOptions,
): Promise<ImportResult> {
  if (!salesFile && !ordersFile && Object.values(texts).every((t) => t === undefined)) throw new ImportValidationError([{ file: '(none)', line: 0, message: 'no files to import' }]);
  const { parsed, issues } = parseFiles(texts);
  const dryRun = options.dryRun ?? false;
  let report: DefaultsReport | undefined;
  let customers: StreamedCustomerOrders | undefined;
  let signals: SignalItems | undefined;
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
    customers = ordersFile
      ? await streamCustomerOrders({
          writer: tx.customerOrders,
          ...ordersFile,
          fileSkus: new Set(parsed.products?.raw.map((r) => r.cells.sku?.trim() ?? '') ?? []),
          issues,
          dryRun,
          chunkSize: options.chunkSize,
        })
      : undefined;
    const { existing, stored } = await existingKeys(tx, parsed);
    checkAcrossFiles(parsed, existing, issues);
    if (parsed.prelaunchSignals)
      signals = signalItems(parsed.prelaunchSignals.rows, new Set([...existing.candidates, ...(parsed.candidates?.rows.map((r) => r.id) ?? [])]));
    const newScopes = new Set((parsed.scopes?.rows ?? []).map((s) => s.id).filter((id) => !existing.scopes.has(id)));
    report = applyDefaults(parsed, stored, options.margin ?? { default: DEFAULT_MARGIN }, newScopes, issues, sales?.summary);
    if (issues.total > 0) throw new ImportValidationError(sortIssues(issues.kept), issues.total);
    const rows = rowsOf(parsed);
    const counts = dryRun ? Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v?.length ?? 0])) : await tx.insert(rows, options.chunkSize);
    return { ...counts, ...(sales ? { sales: sales.rows } : {}), ...(customers ? { customerOrders: customers.rows, customers: customers.customers } : {}) };
  });
  const c = customers;
  return { inserted, dryRun, report: report!, ...(c ? { customerOrders: { customers: c.customers, attributeColumns: c.attributeColumns } } : {}), ...(signals ? { prelaunchSignals: signals } : {}) };
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
  const signalItems = cells(parsed.prelaunchSignals, 'item_id');
  const stored = await tx.storedKeys({
    skus: [...cells(parsed.products, 'sku'), ...cells(parsed.sales, 'sku'), ...cells(parsed.inventory, 'sku'), ...signalItems],
    // A stored candidate asked about for a signal is still a conflict for a candidates row with its id.
    candidateIds: [...(parsed.candidates?.rows.map((r) => r.id) ?? []), ...signalItems],
    prelaunchSignals: parsed.prelaunchSignals?.rows ?? [],
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
