/**
 * The one CSV reader of launchloop, on csv-parse (RFC 4180): comma-separated, fields optionally
 * in double quotes (a quote inside is doubled), quoted fields may hold commas and newlines, LF or
 * CRLF line ends, an optional UTF-8 BOM, ragged rows kept as they are. Linear in the text's size.
 * Each record keeps the line it starts on, for error messages; a malformed record is reported as
 * a problem with its line and skipped, never a crash. The format parsers beside this file
 * (catalogue, series) and the import validator all read through it.
 */
import type { Readable } from 'node:stream';
import { parse as parseStream } from 'csv-parse';
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvDocument {
  header: string[];
  /** Line of the header record (the first one; 0 for an empty file). */
  headerLine: number;
  records: CsvRecord[];
  problems: CsvProblem[];
}

const MESSAGES: Record<string, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'unexpected text after a closing quote',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the file',
};

interface ParsedRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

export function parseCsv(text: string): CsvDocument {
  const problems: CsvProblem[] = [];
  const parsed = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      // After a bad closing quote csv-parse reads on inside a quote to the end; that echo is
      // the same mistake, so one problem per line.
      // csv-parse's errors carry their context (info fields such as `lines`) untyped.
      const line = Number(error?.lines);
      if (error && problems.at(-1)?.line !== line) problems.push({ line, message: MESSAGES[error.code] ?? error.message });
    },
  }) as unknown as ParsedRecord[];
  const all: CsvRecord[] = [];
  for (const { record, raw, info } of parsed) {
    // csv-parse counts lines up to the record's end; a record's own newlines (in quoted fields)
    // are in its raw text, less the skipped blank lines before it and the delimiter after it.
    const inner = raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
    let newlines = 0;
    for (let i = inner.indexOf('\n'); i !== -1; i = inner.indexOf('\n', i + 1)) newlines++;
    // A line of blanks only is as empty as an empty one.
    if (record.length === 1 && record[0].trim() === '') continue;
    all.push({ line: info.lines - newlines, fields: record });
  }
  const [head, ...records] = all;
  return { header: head ? head.fields.map((h) => h.trim()) : [], headerLine: head?.line ?? 0, records, problems };
}

/**
 * The same reader over a stream (a large file), for input too big to hold as one string: yields
 * every record in order, the header first (untrimmed; a caller trims it as parseCsv does), with
 * the same line numbers, blank-line skipping and problems (passed to `onProblem` as they are
 * found) as parseCsv on the whole text. Memory stays that of a record, whatever the file's size.
 */
export async function* streamCsv(input: Readable, onProblem: (problem: CsvProblem) => void): AsyncGenerator<CsvRecord> {
  let lastProblemLine: number | undefined;
  const parser = input.pipe(
    parseStream({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        // As in parseCsv: one problem per line, the echo of a bad closing quote dropped.
        const line = Number(error?.lines);
        if (error && lastProblemLine !== line) {
          lastProblemLine = line;
          onProblem({ line, message: MESSAGES[error.code] ?? error.message });
        }
      },
    }),
  );
  // A read error of the file ends the parser too; rethrow it rather than end quietly.
  let readError: unknown;
  input.once('error', (err) => {
    readError = err;
    parser.destroy(err);
  });
  for await (const { record, raw, info } of parser as AsyncIterable<ParsedRecord>) {
    const inner = raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
    let newlines = 0;
    for (let i = inner.indexOf('\n'); i !== -1; i = inner.indexOf('\n', i + 1)) newlines++;
    if (record.length === 1 && record[0].trim() === '') continue;
    yield { line: info.lines - newlines, fields: record };
  }
  if (readError) throw readError;
}
