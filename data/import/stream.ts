/**
 * The sales file, streamed into the open import transaction a chunk at a time: the largest file
 * of a shop (a row per sku, region and week) is never held whole. Each record is checked as it
 * is read (cells, duplicates within the file); each chunk's skus and keys are checked against
 * the files' products and the database, then written. Once any issue is found the import will
 * roll back, so writing stops and checking goes on to the end to report what else is wrong.
 */
import { createReadStream } from 'node:fs';
import type { MarketplaceTransaction, SalesInsert } from '../../db/repositories/marketplace.repository.js';
import { streamCsv, type CsvRecord } from '../formats/csv.js';
import { addSales, emptySalesSummary, type SalesSummary } from './defaults.js';
import type { IssueLog } from './errors.js';
import { salesFormat } from './formats.js';
import { recordChecker, storedRowMessage, type CheckedRecord } from './validate.js';

/** Rows per round trip: the chunk size of the bulk writers, a few MB of arrays. */
export const STREAM_CHUNK = 50_000;

/**
 * A streamed file's sku references, checked a chunk at a time: a sku in neither the import's
 * products file nor the database (asked once per chunk for the skus not known yet) is reported.
 */
export function skuReferences(o: {
  file: string;
  fileSkus: ReadonlySet<string>;
  issues: IssueLog;
  storedSkus: (skus: readonly string[]) => Promise<Set<string>>;
}): (refs: ReadonlyArray<{ line: number; sku: string }>) => Promise<void> {
  const stored = new Set<string>();
  const known = (sku: string) => o.fileSkus.has(sku) || stored.has(sku);
  return async (refs) => {
    const ask = [...new Set(refs.map((r) => r.sku).filter((s) => !known(s)))];
    if (ask.length) for (const s of await o.storedSkus(ask)) stored.add(s);
    for (const { line, sku } of refs)
      if (!known(sku)) o.issues.push({ file: o.file, line, column: 'sku', message: `unknown sku "${sku}" (not in the import files nor in the database)` });
  };
}

export interface StreamedSales {
  /** Valid rows (written, unless a dry run or an issue stopped the writing). */
  rows: number;
  summary: SalesSummary;
}

export async function streamSales(o: {
  tx: MarketplaceTransaction;
  file: string;
  path: string;
  /** Skus of the products file of the same import (valid or not, as the in-memory check). */
  fileSkus: ReadonlySet<string>;
  issues: IssueLog;
  dryRun: boolean;
  chunkSize?: number;
}): Promise<StreamedSales> {
  const { tx, file, issues } = o;
  const chunkSize = o.chunkSize ?? STREAM_CHUNK;
  const summary = emptySalesSummary();
  const checkSkus = skuReferences({ file, fileSkus: o.fileSkus, issues, storedSkus: (s) => tx.storedSkus(s) });
  let check: ((record: CsvRecord) => CheckedRecord<SalesInsert>) | undefined;
  let sawHeader = false;
  let rows: SalesInsert[] = [];
  let lines: number[] = [];
  let refs: Array<{ line: number; sku: string }> = [];
  let count = 0;

  const flush = async () => {
    await checkSkus(refs);
    const taken = await tx.storedSales(rows);
    rows.forEach((r, i) => {
      if (taken.has(salesFormat.keyOf(r))) issues.push({ file, line: lines[i], message: storedRowMessage('sales', salesFormat.key, salesFormat.keyOf(r)) });
    });
    addSales(summary, rows);
    count += rows.length;
    if (issues.total === 0 && !o.dryRun && rows.length > 0) await tx.insertSales(rows);
    rows = [];
    lines = [];
    refs = [];
  };

  const records = streamCsv(createReadStream(o.path), (p) => issues.push({ file, line: p.line, message: p.message }));
  for await (const record of records) {
    if (!sawHeader) {
      sawHeader = true;
      check = recordChecker(salesFormat, file, record.fields.map((h) => h.trim()), issues);
      continue;
    }
    // An unusable header is reported once; the rest is still read for its CSV problems.
    if (!check) continue;
    const checked = check(record);
    if (checked.cells) {
      // An empty sku is already reported as "is required".
      const sku = checked.cells.sku?.trim() ?? '';
      if (sku !== '') refs.push({ line: record.line, sku });
    }
    if (checked.row) {
      rows.push(checked.row);
      lines.push(record.line);
    }
    if (refs.length >= chunkSize) await flush();
  }
  if (!sawHeader) recordChecker(salesFormat, file, [], issues);
  await flush();
  return { rows: count, summary };
}
