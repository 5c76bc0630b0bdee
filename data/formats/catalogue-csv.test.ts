import { describe, expect, it } from 'vitest';
import { CsvValidationError, inferSchema, parseCalendar, parseCandidates, parseCsv, parseItems, parseSales } from './catalogue-csv.js';

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

  it('reads digit codes as numbers unless forced categorical, keeping a forced code a string on both sides', () => {
    const items = parseCsv('item_id,prefix,price\nA,226,1.25\nB,851,2\n', 'items.csv');
    expect(inferSchema(items).kinds).toEqual({ prefix: 'numeric', price: 'numeric' });
    const schema = inferSchema(items, undefined, { prefix: 'categorical' });
    expect(parseItems(items, schema)[0].attributes.prefix).toBe('226');
    const cands = parseCandidates(parseCsv('item_id,prefix,price,launch_week\nC,226,1,2010-02-01\n', 'c.csv'), schema);
    expect(cands[0].attributes.prefix).toBe('226');
  });

  it('takes forced kinds, and names an unknown column or a non-number forced numeric', () => {
    const items = parseCsv('item_id,prefix,size,colour\nA,226,10,red\nB,851,12,blue\n', 'items.csv');
    expect(inferSchema(items, undefined, { prefix: 'numeric', size: 'categorical' }).kinds).toEqual({ prefix: 'numeric', size: 'categorical', colour: 'categorical' });
    const unknown = errorOf(() => inferSchema(items, undefined, { brand: 'categorical' }));
    expect([unknown.file, unknown.column]).toEqual(['items.csv', 'brand']);
    expect(unknown.message).toMatch(/not an attribute column.*prefix, size, colour/);
    const blank = errorOf(() => inferSchema(parseCsv('item_id,size\nA,\n', 'items.csv'), undefined, { size: 'numeric' }));
    expect(blank.message).toContain('the column has no values');
    const bad = errorOf(() => inferSchema(items, undefined, { colour: 'numeric' }));
    expect([bad.line, bad.column]).toEqual([2, 'colour']);
    expect(bad.message).toContain('"red" is not a number');
  });

  it('reads a calendar of covariates matching on attribute columns, and names a bad column, week or value', () => {
    const schema = inferSchema(parseCsv('item_id,category,price\nA,MUG,1.5\n', 'items.csv'));
    const rows = parseCalendar(parseCsv('week,name,value,category\n2010-11-29,discount,0.2,MUG\n2010-12-20,christmas,1,\n', 'cal.csv'), schema);
    expect(rows).toEqual([
      { week: '2010-11-29', name: 'discount', value: 0.2, match: { category: 'MUG' } },
      { week: '2010-12-20', name: 'christmas', value: 1 },
    ]);
    const col = errorOf(() => parseCalendar(parseCsv('week,name,value,brand\n2010-11-29,x,1,A\n', 'cal.csv'), schema));
    expect([col.line, col.column]).toEqual([1, 'brand']);
    const day = errorOf(() => parseCalendar(parseCsv('week,name,value\n2010-11-30,x,1\n', 'cal.csv'), schema));
    expect([day.line, day.column]).toEqual([2, 'week']);
    const val = errorOf(() => parseCalendar(parseCsv('week,name,value\n2010-11-29,x,\n', 'cal.csv'), schema));
    expect([val.line, val.column]).toEqual([2, 'value']);
    const num = errorOf(() => parseCalendar(parseCsv('week,name,value,price\n2010-11-29,x,1,cheap\n', 'cal.csv'), schema));
    expect([num.line, num.column]).toEqual([2, 'price']);
  });
});
