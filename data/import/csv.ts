/**
 * A small RFC 4180 CSV reader: comma-separated, fields optionally in double quotes (a quote
 * inside is doubled), quoted fields may hold commas and newlines, LF or CRLF line ends, an
 * optional UTF-8 BOM. Each record keeps the line it starts on, for error messages.
 */

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
  records: CsvRecord[];
  problems: CsvProblem[];
}

export function parseCsv(text: string): CsvDocument {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    // Fast path: a record without quotes is one physical line split on commas.
    const newline = text.indexOf('\n', i);
    const end = newline === -1 ? n : newline;
    const quote = text.indexOf('"', i);
    if (quote === -1 || quote > end) {
      const body = text.slice(i, end > i && text[end - 1] === '\r' ? end - 1 : end);
      i = end + 1;
      line++;
      if (body.trim() !== '') records.push({ line: start, fields: body.split(',') });
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let atFieldStart = true;
    let inQuotes = false;
    let ended = false;
    while (i < n && !ended) {
      const ch = text[i];
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            inQuotes = false;
            i++;
            // Only a separator or a line end may follow a closing quote.
            const next = text[i];
            if (i < n && next !== ',' && next !== '\n' && next !== '\r') {
              problems.push({ line, message: 'unexpected text after a closing quote' });
            }
          }
        } else {
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
      } else if (ch === '"' && atFieldStart) {
        inQuotes = true;
        atFieldStart = false;
        i++;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (ch === '\n' || ch === '\r') {
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        ended = true;
      } else {
        field += ch;
        atFieldStart = false;
        i++;
      }
    }
    if (inQuotes) problems.push({ line: start, message: 'a quoted field is not closed before the end of the file' });
    fields.push(field);
    // Blank lines (a single empty field) are skipped.
    if (fields.length === 1 && fields[0].trim() === '') continue;
    records.push({ line: start, fields });
  }
  const [head, ...rest] = records;
  return { header: head ? head.fields.map((h) => h.trim()) : [], records: rest, problems };
}
