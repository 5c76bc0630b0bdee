import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { snapshotsRepository } from '../db/repositories/snapshots.repository.js';
import { ImportValidationError, formatIssue, type ImportIssue } from '../data/import/errors.js';
import type { ImportKind } from '../data/import/formats.js';
import { importCsvFiles } from '../data/import/importer.js';
import { FILE_NAMES, toCsv } from '../data/import/write.js';
import { loadMarketplace } from '../data/load.js';
import { generateMarketplace } from '../data/synthetic/generate.js';
import { freshDatabases } from './helpers.js';

let dir: string;
const fresh = freshDatabases();
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'launchloop-import-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

const snapshotDataset = (database: Database, scopeId: string) => snapshotsRepository(database).create(scopeId);

const market = generateMarketplace({ seed: 9, productsPerCategory: 4, candidatesPerScope: 4, weeks: 60, regions: ['east'] });
const csv = toCsv(market);

let n = 0;
/** Writes the given CSV texts to a fresh folder and returns their paths by kind. */
function write(texts: Partial<Record<ImportKind, string>>): Partial<Record<ImportKind, string>> {
  const folder = join(dir, `set${++n}`);
  const out: Partial<Record<ImportKind, string>> = {};
  mkdirSync(folder);
  for (const [kind, text] of Object.entries(texts) as Array<[ImportKind, string]>) {
    const path = join(folder, FILE_NAMES[kind]);
    out[kind] = path;
    writeFileSync(path, text);
  }
  return out;
}

async function tableCounts(database: Database): Promise<number[]> {
  const [row] = await database.sql<{ p: number; c: number; s: number; i: number }[]>`
    select (select count(*)::int from products) as p, (select count(*)::int from candidates) as c,
      (select count(*)::int from sales) as s, (select count(*)::int from inventory_snapshots) as i`;
  return [row.p, row.c, row.s, row.i];
}

async function issuesOf(promise: Promise<unknown>): Promise<ImportIssue[]> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ImportValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the import to be rejected');
}

describe('importCsvFiles', () => {
  it('imports a full set of files and ends with the same data as a direct load', async () => {
    const database = await fresh();
    const { inserted } = await importCsvFiles(database, write(csv));
    expect(inserted).toEqual({
      scopes: 1,
      products: market.products.length,
      candidates: market.candidates.length,
      sales: market.sales.length,
      inventory: market.inventory.length,
      indicators: market.indicators.length,
      competitorEvents: market.competitorEvents.length,
      promotions: market.promotions.length,
      prelaunchSignals: market.prelaunchSignals.length,
    });
    const imported = await snapshotDataset(database, 'electronics/east');
    const direct = await fresh();
    await loadMarketplace(direct, market);
    expect((await snapshotDataset(direct, 'electronics/east')).checksum).toBe(imported.checksum);
    const [c] = await database.sql`select attributes, must_launch from candidates where id = ${market.candidates[0].id}`;
    expect(c.attributes).toEqual(market.candidates[0].attributes);
  });

  it('names file, line and column of every bad cell and writes nothing', async () => {
    const database = await fresh();
    const sales = csv.sales!.split('\n');
    // Line numbers are physical lines: the header is line 1.
    sales[13] = `${market.sales[12].sku},east,2024-03-06,5,10,false,false`;
    sales[14] = `${market.sales[13].sku},east,${market.sales[13].week},-3,abc,maybe,false`;
    sales[15] = `NO-SUCH-SKU,east,${market.sales[14].week},1,10,,`;
    sales[16] = sales[2];
    const products = csv.products!.replace(/,"\{/, ',"{broken');
    const issues = await issuesOf(importCsvFiles(database, write({ ...csv, sales: sales.join('\n'), products })));
    const text = issues.map(formatIssue);
    expect(text).toContain('sales.csv:14: column "week": 2024-03-06 is a Wednesday; weeks must be ISO Monday dates (did you mean 2024-03-04?)');
    expect(text).toContain('sales.csv:15: column "units": -3 must be ≥ 0');
    expect(text).toContain('sales.csv:15: column "price": "abc" is not a number');
    expect(text).toContain('sales.csv:15: column "promo": "maybe" is not a boolean (use true/false, 1/0 or yes/no)');
    expect(text).toContain('sales.csv:16: column "sku": unknown sku "NO-SUCH-SKU" (not in the import files nor in the database)');
    expect(text.some((t) => /^sales\.csv:17: duplicate sku .*already on line 3$/.test(t))).toBe(true);
    expect(text.some((t) => /^products\.csv:2: column "attributes": is not valid JSON/.test(t))).toBe(true);
    expect(await tableCounts(database)).toEqual([0, 0, 0, 0]);
  });

  it('checks headers, field counts and cross-field rules', async () => {
    const database = await fresh();
    const issues = await issuesOf(
      importCsvFiles(
        database,
        write({
          products: 'sku,name,category,colour\nA,Phone,phones,red\n',
          candidates:
            'id,scope_id,name,category,subcategory,brand,price,unit_cost,salvage_value,earliest_week,latest_week\n' +
            'C1,nowhere/east,X,phones,smartphones,Nova,100,60,20,2027-03-01,2027-02-01\n' +
            'C2,nowhere/east,X,phones\n',
        }),
      ),
    );
    const text = issues.map(formatIssue);
    expect(text).toContain(
      'products.csv:1: column "colour": unknown column (expected sku, category, price, name, description, subcategory, brand, unit_cost, launch_week, attributes)',
    );
    // What a shop's export has is required; the rest has defaults (FORMATS.md).
    expect(text).toContain('products.csv:1: column "price": required column is missing');
    expect(text).toContain('candidates.csv:2: column "latest_week": 2027-02-01 is before earliest_week 2027-03-01');
    expect(text).toContain('candidates.csv:2: column "scope_id": unknown scope "nowhere/east" (not in the import files nor in the database)');
    expect(text).toContain('candidates.csv:3: has 4 fields; the header has 11');
  });

  it('accepts sales for skus already in the database and refuses rows that are already there', async () => {
    const database = await fresh();
    await importCsvFiles(database, write({ scopes: csv.scopes, products: csv.products }));
    const first = await importCsvFiles(database, write({ sales: csv.sales, inventory: csv.inventory }));
    expect(first.inserted.sales).toBe(market.sales.length);
    const again = await issuesOf(importCsvFiles(database, write({ sales: csv.sales })));
    expect(again).toHaveLength(market.sales.length);
    const [s0] = market.sales;
    expect(formatIssue(again[0])).toBe(`sales.csv:2: a sales row with sku ${s0.sku}, region ${s0.region}, week ${s0.week} already exists in the database`);
    expect(await tableCounts(database)).toEqual([market.products.length, 0, market.sales.length, market.inventory.length]);
  });

  it('streams sales in chunks and writes none of them when a row after the first chunks is wrong', async () => {
    const database = await fresh();
    const paths = write(csv);
    const streamed = await importCsvFiles(database, paths, { chunkSize: 50 });
    expect(streamed.inserted.sales).toBe(market.sales.length);
    expect(await tableCounts(database)).toEqual([market.products.length, market.candidates.length, market.sales.length, market.inventory.length]);

    const other = await fresh();
    const sales = csv.sales!.trimEnd().split('\n');
    const last = sales.length;
    sales[last - 1] = sales[last - 1].replace(/,(\d+(\.\d+)?),/, ',-1,');
    const issues = await issuesOf(importCsvFiles(other, write({ ...csv, sales: sales.join('\n') + '\n' }), { chunkSize: 50 }));
    expect(issues.map(formatIssue)).toEqual([`sales.csv:${last}: column "units": -1 must be ≥ 0`]);
    expect(await tableCounts(other)).toEqual([0, 0, 0, 0]);
  });

  it('validates without writing on a dry run and reports unreadable files', async () => {
    const database = await fresh();
    const dry = await importCsvFiles(database, write({ scopes: csv.scopes, products: csv.products }), { dryRun: true });
    expect(dry).toEqual({
      dryRun: true,
      inserted: expect.objectContaining({ products: market.products.length }),
      report: expect.objectContaining({ defaulted: {}, uncovered: [] }),
    });
    expect(await tableCounts(database)).toEqual([0, 0, 0, 0]);
    const missing = await issuesOf(importCsvFiles(database, { sales: join(dir, 'nope.csv') }));
    expect(missing[0].message).toBe('cannot read the file: no such file (ENOENT)');
    expect(formatIssue(missing[0])).toBe(`${join(dir, 'nope.csv')}: cannot read the file: no such file (ENOENT)`);
  });
});
