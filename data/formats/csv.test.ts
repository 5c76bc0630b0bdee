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

  it('treats an empty file as having no header', () => {
    expect(parseCsv('')).toEqual({ header: [], headerLine: 0, records: [], problems: [] });
  });
});
