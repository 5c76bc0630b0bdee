/**
 * The one CSV reader of launchloop, on csv-parse (RFC 4180): comma-separated, fields optionally
 * in double quotes (a quote inside is doubled), quoted fields may hold commas and newlines, LF or
 * CRLF line ends, an optional UTF-8 BOM, ragged rows kept as they are. Linear in the text's size.
 * Each record keeps the line it starts on, for error messages; a malformed record is reported as
 * a problem with its line and skipped, never a crash. The format parsers beside this file
 * (catalogue, series) and the import validator all read through it.
 */
import type { Readable } from 'node:stream';
import { parse as parseStream, type Options } from 'csv-parse';
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

/**
 * Physical line numbers from csv-parse's. csv-parse ends a line at every CR and every LF inside a
 * quoted field, so a CRLF there counts twice and every later line drifts by one per such CRLF;
 * this subtracts those CRLFs (a record's are in its raw text, a skipped record's in the raw text
 * its error carries) and counts a record's own line ends back to the line it starts on.
 */
class LineNumbers {
  /** CRLFs inside quotes in the records read so far. */
  private drift = 0;
  /** Those of the record being skipped for an error, up to its latest error. */
  private skipped = { raw: '', crlfs: 0 };

  /** The line a record starts on, from its raw text and csv-parse's line count at its end. */
  record(raw: string, lines: number): number {
    this.closeSkipped();
    // The raw text starts with the ends of skipped blank lines and ends with the record's delimiter.
    const inner = raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
    const crlfs = count(inner, '\r\n');
    this.drift += crlfs;
    // Inside the record CRLF is one line end, as a CR or an LF alone is.
    const ends = count(inner, '\n') + count(inner, '\r') - crlfs;
    return lines - this.drift - ends;
  }

  /** The line of a problem, from the raw text up to it and csv-parse's line count there. */
  problem(raw: string | undefined, lines: number): number {
    const text = (raw ?? '').replace(/^[\r\n]+/, '');
    // The raw text grows while csv-parse reads on in the same record; another text is the next record.
    if (!text.startsWith(this.skipped.raw)) this.closeSkipped();
    this.skipped = { raw: text, crlfs: count(text, '\r\n') };
    return lines - this.drift - this.skipped.crlfs;
  }

  private closeSkipped(): void {
    this.drift += this.skipped.crlfs;
    this.skipped = { raw: '', crlfs: 0 };
  }
}

function count(text: string, what: string): number {
  let n = 0;
  for (let i = text.indexOf(what); i !== -1; i = text.indexOf(what, i + what.length)) n++;
  return n;
}

/**
 * csv-parse's options for both readers: records numbered with their start line as they are read
 * (so records and skipped ones count lines in file order), a line of blanks dropped, and one
 * problem per line (after a bad closing quote csv-parse reads on inside a quote to the end; that
 * echo is the same mistake).
 */
function readerOptions(onProblem: (problem: CsvProblem) => void): Options {
  const lineNumbers = new LineNumbers();
  let lastProblemLine: number | undefined;
  return {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined, raw: string | undefined): undefined => {
      if (!error) return;
      // csv-parse's errors carry their context (info fields such as `lines`) untyped.
      const line = lineNumbers.problem(raw, Number(error.lines));
      if (lastProblemLine === line) return;
      lastProblemLine = line;
      onProblem({ line, message: MESSAGES[error.code] ?? error.message });
    },
    // With `raw` and `info` on, csv-parse hands on_record the record with its raw text and info,
    // and passes on whatever it returns; its typings know neither without named columns.
    on_record: ((parsed: ParsedRecord): CsvRecord | null => {
      const line = lineNumbers.record(parsed.raw, parsed.info.lines);
      const { record } = parsed;
      return record.length === 1 && record[0].trim() === '' ? null : { line, fields: record };
    }) as unknown as Options['on_record'],
  };
}

export function parseCsv(text: string): CsvDocument {
  const problems: CsvProblem[] = [];
  const all = parse(text, readerOptions((p) => problems.push(p))) as unknown as CsvRecord[];
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
  const parser = input.pipe(parseStream(readerOptions(onProblem)));
  // A read error of the file ends the parser too; rethrow it rather than end quietly.
  let readError: unknown;
  input.once('error', (err) => {
    readError = err;
    parser.destroy(err);
  });
  for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
  if (readError) throw readError;
}
