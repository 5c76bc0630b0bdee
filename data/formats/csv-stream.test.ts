import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCsv, streamCsv, type CsvProblem, type CsvRecord } from './csv.js';

/** Streams `text` in pieces of `size` characters, so records and quotes straddle chunk ends. */
async function streamed(text: string, size: number): Promise<{ records: CsvRecord[]; problems: CsvProblem[] }> {
  const pieces: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  const problems: CsvProblem[] = [];
  const records: CsvRecord[] = [];
  for await (const r of streamCsv(Readable.from(pieces), (p) => problems.push(p))) records.push(r);
  return { records, problems };
}

const TEXT =
  '\uFEFFsku, region ,week\n' +
  'A,east,2024-01-01\n' +
  '\n' +
  '   \n' +
  '"B, the second","multi\nline\nregion",2024-01-08\n' +
  'C,east\n' +
  'D,"bad"x,2024-01-15\n' +
  'E,east,2024-01-22\n' +
  '\n' +
  '"F ""quoted""",east,2024-01-29';

const CRLF = 'sku,region\r\n"A ""1""",east\r\n\r\n"B\r\nmulti",west\r\nC\r\n';

describe('streamCsv', () => {
  it.each([1, 7, 64, 1 << 16])('gives the same records, lines and problems as parseCsv (chunks of %i bytes)', async (size) => {
    const whole = parseCsv(TEXT);
    const { records, problems } = await streamed(TEXT, size);
    expect(records[0]).toEqual({ line: whole.headerLine, fields: ['sku', ' region ', 'week'] });
    expect(records.slice(1)).toEqual(whole.records);
    expect(problems).toEqual(whole.problems);
    // After a bad closing quote csv-parse reads on inside a quote: E and F are lost in both.
    expect(whole.records.map((r) => r.line)).toEqual([2, 5, 8]);
    expect(whole.problems.map((p) => p.line)).toEqual([9, 12]);
  });

  it('counts CRLF lines the same way', async () => {
    const whole = parseCsv(CRLF);
    const { records, problems } = await streamed(CRLF, 3);
    expect(records.slice(1)).toEqual(whole.records);
    expect(problems).toEqual(whole.problems);
    expect(whole.records.map((r) => r.fields[0])).toEqual(['A "1"', 'B\r\nmulti', 'C']);
    expect(whole.records.map((r) => r.line)).toEqual([2, 4, 6]);
  });

  it('numbers records and problems after a CRLF multiline field as parseCsv does', async () => {
    const lf = 'a,b\n1,"x\ny"\n2,z\n3,"bad"q\n4,w\n';
    const text = lf.replaceAll('\n', '\r\n');
    const whole = parseCsv(text);
    expect(whole.records.map((r) => r.line)).toEqual([2, 4]);
    expect(whole.problems[0]).toEqual({ line: 5, message: 'unexpected text after a closing quote' });
    expect(whole.problems).toEqual(parseCsv(lf).problems);
    for (const size of [1, 4, 1 << 16]) {
      const { records, problems } = await streamed(text, size);
      expect(records.slice(1)).toEqual(whole.records);
      expect(problems).toEqual(whole.problems);
    }
  });

  it('reports a quote left open at the end of the file on its line, as parseCsv does', async () => {
    const text = 'a,b\n1,2\n3,"open\n4,5\n';
    const { records, problems } = await streamed(text, 5);
    const whole = parseCsv(text);
    expect(records.slice(1)).toEqual(whole.records);
    expect(problems).toEqual(whole.problems);
    expect(problems).toHaveLength(1);
  });
});
