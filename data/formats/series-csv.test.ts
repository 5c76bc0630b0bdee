import { describe, expect, it } from 'vitest';
import { parseSeriesCsv } from './series-csv.js';

describe('series CSV parsing', () => {
  it('skips the id header, keeps ragged rows and reports 1-based line numbers', () => {
    const rows = parseSeriesCsv('id,v1,v2,v3\nA,1,2,3\n\nB,4,5\n');
    expect(rows).toEqual([
      { id: 'A', line: 2, y: [1, 2, 3] },
      { id: 'B', line: 4, y: [4, 5] },
    ]);
  });

  it('treats trailing empty fields as absent and an unreadable value as NaN', () => {
    const rows = parseSeriesCsv('A,1,2,,\r\nB,1,x,3\n');
    expect(rows[0].y).toEqual([1, 2]);
    expect(rows[1].y[1]).toBeNaN();
  });

  it('reads a file without a header', () => {
    expect(parseSeriesCsv('W1,10,11\n')[0]).toEqual({ id: 'W1', line: 1, y: [10, 11] });
  });
});
