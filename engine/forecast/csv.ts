/**
 * Parser for the series CSV format of ../shared/data/m4-weekly-dev: an optional header row
 * starting with `id`, then one row per series, `id,v1,v2,...`, ragged (trailing fields absent).
 * Pure string handling, so the CLI, the benchmark and tests share it. A malformed value does
 * not abort the file: the row is returned with the values as parsed (NaN where unreadable), and
 * validation in forecast() names the series and position.
 */
export interface SeriesRow {
  id: string;
  /** 1-based line number in the file, for error messages. */
  line: number;
  y: number[];
}

export function parseSeriesCsv(text: string): SeriesRow[] {
  const rows: SeriesRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const fields = raw.split(',');
    const id = fields[0].trim();
    if (rows.length === 0 && i === firstNonEmpty(lines) && id.toLowerCase() === 'id') continue; // header
    // Trailing empty fields (a padded rectangular file) are absent values, not zeros.
    let end = fields.length;
    while (end > 1 && fields[end - 1].trim() === '') end--;
    const y = fields.slice(1, end).map((f) => (f.trim() === '' ? NaN : Number(f)));
    rows.push({ id, line: i + 1, y });
  }
  return rows;
}

function firstNonEmpty(lines: string[]): number {
  return lines.findIndex((l) => l.trim() !== '');
}
