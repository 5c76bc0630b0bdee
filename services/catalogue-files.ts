/**
 * Reads catalogue CSV files (sales, items, optional candidates and calendar) from disk and
 * parses them with data/formats/catalogue-csv.ts parseCatalogue, whose errors name the file paths.
 */
import { readFile } from 'node:fs/promises';
import { parseCatalogue, type CsvText } from '../data/formats/catalogue-csv.js';
import type { AttributeKind, Catalogue, CandidateRow, CovariateRow } from '../engine/coldstart/index.js';

export async function readCatalogue(
  files: { sales: string; items: string; candidates?: string; calendar?: string },
  kinds: Record<string, AttributeKind> = {},
): Promise<Catalogue & { candidates: CandidateRow[]; covariates: CovariateRow[] }> {
  const optional = (file: string | undefined): Promise<CsvText | undefined> => (file ? readFile(file, 'utf8').then((text) => ({ text, file })) : Promise.resolve(undefined));
  const [sales, items, candidates, calendar] = await Promise.all([readFile(files.sales, 'utf8'), readFile(files.items, 'utf8'), optional(files.candidates), optional(files.calendar)]);
  return parseCatalogue(
    { sales: { text: sales, file: files.sales }, items: { text: items, file: files.items }, ...(candidates ? { candidates } : {}), ...(calendar ? { calendar } : {}) },
    kinds,
  );
}
