/**
 * Parser for the series CSV format of ../shared/data/m4-weekly-dev: an optional header row
 * starting with `id`, then one row per series, `id,v1,v2,...`, ragged (trailing fields absent).
 * Read with the shared CSV reader (./csv.ts), so quoted ids work; the CLI, the benchmark and
 * tests share it. A malformed value does not abort the file: the row is returned with the values as parsed (NaN where unreadable), and
 * validation in forecast() names the series and position.
 */
import { parseCsv, type CsvRecord } from './csv.js';

export interface SeriesRow {
  id: string;
  /** 1-based line number in the file, for error messages. */
  line: number;
  y: number[];
}

export function parseSeriesCsv(text: string): SeriesRow[] {
  const doc = parseCsv(text);
  // The reader takes the first record as a header; here it is one only when it starts with `id`.
  const first: CsvRecord[] = doc.header.length && doc.header[0].toLowerCase() !== 'id' ? [{ line: doc.headerLine, fields: doc.header }] : [];
  const rows: SeriesRow[] = [];
  for (const { line, fields } of [...first, ...doc.records]) {
    // Trailing empty fields (a padded rectangular file) are absent values, not zeros.
    let end = fields.length;
    while (end > 1 && fields[end - 1].trim() === '') end--;
    const y = fields.slice(1, end).map((f) => (f.trim() === '' ? NaN : Number(f)));
    rows.push({ id: fields[0].trim(), line, y });
  }
  return rows;
}
