import { describe, expect, it } from 'vitest';
import { CsvValidationError, inferSchema, parseCandidates, parseCsv, parseItems, parseSales } from './csv.js';

function errorOf(fn: () => unknown): CsvValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CsvValidationError) return err;
    throw err;
  }
  throw new Error('expected a CsvValidationError');
}

describe('catalogue CSV readers', () => {
  it('reads valid sales, items and candidates with inferred attribute kinds', () => {
    const items = parseCsv('item_id,category,price\nA,MUG,1.5\nB,"BAG, LARGE",2\n', 'items.csv');
    const schema = inferSchema(items);
    expect(schema.kinds).toEqual({ category: 'categorical', price: 'numeric' });
    expect(parseItems(items, schema)[1].attributes).toEqual({ category: 'BAG, LARGE', price: 2 });
    const sales = parseSales(parseCsv('item_id,week,units\nA,2010-01-04,3\n', 'sales.csv'));
    expect(sales).toEqual([{ itemId: 'A', week: '2010-01-04', units: 3 }]);
    const cands = parseCandidates(parseCsv('item_id,category,price,launch_week\nC,MUG,1,2010-02-01\n', 'c.csv'), schema);
    expect(cands[0].launchWeek).toBe('2010-02-01');
  });

  it('names file, line and column of a bad number', () => {
    const e = errorOf(() => parseSales(parseCsv('item_id,week,units\nA,2010-01-04,3\nA,2010-01-11,lots\n', 'sales.csv')));
    expect([e.file, e.line, e.column]).toEqual(['sales.csv', 3, 'units']);
    expect(e.message).toContain('sales.csv:3 column "units"');
  });

  it('rejects a week that is not a Monday, naming the column', () => {
    const e = errorOf(() => parseSales(parseCsv('item_id,week,units\nA,2010-01-05,3\n', 's.csv')));
    expect([e.line, e.column]).toEqual([2, 'week']);
    expect(e.message).toMatch(/not a Monday/);
  });

  it('rejects a wrong field count and a missing candidate column', () => {
    expect(errorOf(() => parseCsv('item_id,week,units\nA,2010-01-04\n', 's.csv')).line).toBe(2);
    const schema = inferSchema(parseCsv('item_id,category\nA,MUG\n', 'i.csv'));
    const e = errorOf(() => parseCandidates(parseCsv('item_id,launch_week\nC,2010-02-01\n', 'c.csv'), schema));
    expect([e.file, e.line, e.column]).toEqual(['c.csv', 1, 'category']);
  });

  it('rejects a duplicate item-week and a bad numeric attribute', () => {
    expect(errorOf(() => parseSales(parseCsv('item_id,week,units\nA,2010-01-04,3\nA,2010-01-04,1\n', 's.csv'))).line).toBe(3);
    const t = parseCsv('item_id,price\nA,1\n', 'i.csv');
    const c = parseCsv('item_id,price,launch_week\nC,cheap,2010-02-01\n', 'c.csv');
    const e = errorOf(() => parseCandidates(c, inferSchema(t)));
    expect([e.line, e.column]).toEqual([2, 'price']);
  });
});
