import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, keeping start lines', () => {
    const doc = parseCsv('\ufeffa,b,c\r\n1,"x, y",3\r\n"multi\nline","say ""hi""",\r\n\r\n4,5,6');
    expect(doc.header).toEqual(['a', 'b', 'c']);
    expect(doc.records).toEqual([
      { line: 2, fields: ['1', 'x, y', '3'] },
      { line: 3, fields: ['multi\nline', 'say "hi"', ''] },
      { line: 6, fields: ['4', '5', '6'] },
    ]);
    expect(doc.problems).toEqual([]);
  });

  it('reports an unclosed quote and stray text after a closing quote', () => {
    expect(parseCsv('a,b\n"x"y,2\n').problems).toEqual([{ line: 2, message: 'unexpected text after a closing quote' }]);
    expect(parseCsv('a,b\n1,"open\n').problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/not closed/) });
  });

  it('numbers lines of a CRLF file after a quoted field that spans lines as it does for LF', () => {
    // csv-parse counted a CRLF inside quotes as two lines, so every later record drifted by one per such field.
    const lf = 'a,b\n1,"x\ny"\n2,z\n\n3,"p\nq\nr"\n4,w\n';
    const crlf = lf.replaceAll('\n', '\r\n');
    expect(parseCsv(lf).records.map((r) => r.line)).toEqual([2, 4, 6, 9]);
    expect(parseCsv(crlf).records.map((r) => r.line)).toEqual([2, 4, 6, 9]);
    expect(parseCsv(crlf).records[2].fields).toEqual(['3', 'p\r\nq\r\nr']);
  });

  it('reports problems after a CRLF multiline field on their own line', () => {
    const crlf = 'a,b\r\n1,"x\r\ny"\r\n2,"z"q\r\n';
    expect(parseCsv(crlf).problems).toEqual([{ line: 4, message: 'unexpected text after a closing quote' }]);
    expect(parseCsv('a,b\r\n1,"x\r\ny"\r\n2,"open\r\n').problems).toEqual([{ line: 4, message: expect.stringMatching(/not closed/) }]);
  });

  it('treats an empty file as having no header', () => {
    expect(parseCsv('')).toEqual({ header: [], headerLine: 0, records: [], problems: [] });
  });
});
