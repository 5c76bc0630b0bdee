import { describe, expect, it } from 'vitest';
import { ImportValidationError, IssueLog, MAX_ISSUES } from './errors.js';
import { checkAcrossFiles, parseFiles } from './validate.js';

const header = 'sku,region,week,units,price\n';

describe('import issues are capped', () => {
  it('keeps the first 1,000 issues of a file where every row is wrong and counts all of them', () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => `S${i},east,2024-03-06,1,1\n`).join('');
    const { issues } = parseFiles({ sales: { file: 'sales.csv', text: header + rows } });
    expect(issues.total).toBe(2_500);
    expect(issues.kept).toHaveLength(MAX_ISSUES);
    expect(issues.kept[0]).toMatchObject({ file: 'sales.csv', line: 2, column: 'week' });
    expect(issues.kept.at(-1)!.line).toBe(MAX_ISSUES + 1);
  });

  it('reports 200k rows already in the database without overflowing the stack', () => {
    const n = 200_000;
    const rows = Array.from({ length: n }, (_, i) => `S${i % 1000},east,${week(i)},1,1\n`).join('');
    const { parsed, issues } = parseFiles({ sales: { file: 'sales.csv', text: header + rows } });
    expect(issues.total).toBe(0);
    const taken = new Set(parsed.sales!.rows.map((r) => `${r.sku}|${r.region}|${r.week}`));
    const skus = new Set(parsed.sales!.rows.map((r) => r.sku));
    checkAcrossFiles(parsed, { scopes: new Set(), products: skus, candidates: new Set(), conflicts: { sales: taken } }, issues);
    expect(issues.total).toBe(n);
    expect(issues.kept).toHaveLength(MAX_ISSUES);
    expect(issues.kept[0].message).toBe(`a sales row with sku S0, region east, week ${week(0)} already exists in the database`);
  });

  it('says the total, not the kept count, in the error', () => {
    const log = new IssueLog(2);
    for (let line = 2; line < 7; line++) log.push({ file: 'sales.csv', line, message: 'bad' });
    const err = new ImportValidationError(log.kept, log.total);
    expect(err.issues).toHaveLength(2);
    expect(err.total).toBe(5);
    expect(err.message).toBe('import rejected, nothing was written: 5 problems\nsales.csv:2: bad\nsales.csv:3: bad\n… and 3 more');
  });
});

/** The i-th of 200 distinct Monday weeks from 2020-01-06, so sku × week keys are unique. */
function week(i: number): string {
  const d = new Date(Date.UTC(2020, 0, 6 + 7 * Math.floor(i / 1000)));
  return d.toISOString().slice(0, 10);
}
