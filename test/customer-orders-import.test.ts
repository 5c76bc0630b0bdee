/**
 * The customer orders import on a real Postgres: the real slice of UCI customers' orders
 * (test/fixtures/real-shop-customers, converted from audience-dev by data/import/convert-audience.ts)
 * for the real-shop fixture's products, every problem reported with its line and nothing written
 * on any, and the audience repository reading it back in the engine's terms.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportValidationError, formatIssue } from '../data/import/errors.js';
import { importCsvFiles, importCsvTexts } from '../data/import/importer.js';
import { FILE_NAMES } from '../data/import/write.js';
import type { Database } from '../db/client.js';
import { audiencesRepository } from '../db/repositories/audiences.repository.js';
import { run as importCommand } from '../cli/commands/import.js';
import { freshDatabase, freshDatabases } from './helpers.js';

const fresh = freshDatabases();
const SHOP = join(import.meta.dirname, 'fixtures', 'real-shop');
const ORDERS = join(import.meta.dirname, 'fixtures', 'real-shop-customers', FILE_NAMES.customerOrders);
const shopFiles = { scopes: join(SHOP, 'scopes.csv'), products: join(SHOP, 'products.csv'), candidates: join(SHOP, 'candidates.csv'), sales: join(SHOP, 'sales.csv') };

async function rejected(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ImportValidationError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error('expected the import to be rejected');
}

async function shopWithProducts(): Promise<Database> {
  const database = await fresh();
  await importCsvFiles(database, shopFiles);
  return database;
}

describe('customer orders import', () => {
  it('imports the real slice with the shop in one go: customers with their usual country, weekly orders', async () => {
    const database = await fresh();
    const text = readFileSync(ORDERS, 'utf8');
    const rows = text.trim().split('\n').length - 1;
    const result = await importCsvFiles(database, { ...shopFiles, customerOrders: ORDERS });
    expect(result.inserted.customerOrders).toBe(rows);
    const customers = new Set(text.trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    expect(result.inserted.customers).toBe(customers.size);
    expect(await audiencesRepository(database).counts()).toEqual({ customers: customers.size, orders: rows });

    // The engine's terms: orders of the scope's categories, items with the shop's keyword/prefix attributes.
    const repo = audiencesRepository(database);
    const [{ categories }] = await database.sql<{ categories: string[] }[]>`select categories from scopes where id = 'giftware/uk'`;
    expect(await repo.hasOrders(categories)).toBe(true);
    expect(await repo.hasOrders(['NO-SUCH-CATEGORY'])).toBe(false);
    const history = await repo.histories(categories);
    expect(history.orders).toHaveLength(rows);
    expect(history.items).toHaveLength(40);
    const toadstool = history.items.find((i) => i.itemId === '21452')!;
    expect(toadstool).toEqual({ itemId: '21452', category: 'BOX', keyword: 'TOADSTOOL', prefix: '214', price: 2.95 });
    const candidates = await repo.candidates('giftware/uk');
    expect(candidates.find((c) => c.itemId === '47503J')).toMatchObject({ category: 'BAG', keyword: 'SET', prefix: '475', launchWeek: '2010-07-05' });
  });

  it('keeps extra columns as customer attributes (from the latest week) and the most frequent region', async () => {
    const database = await shopWithProducts();
    const text = [
      'customer_id,region,sku,week,units,tier,spend',
      'A,uk,21452,2010-01-04,2,silver,10.5',
      'A,fr,37483,2010-01-11,1,gold,',
      'A,uk,37483,2010-01-04,1,bronze,3',
      'B,fr,21452,2010-01-04,5,,',
    ].join('\n');
    const r = await importCsvTexts(database, { customerOrders: { file: 'customer_orders.csv', text } });
    expect(r.inserted).toMatchObject({ customerOrders: 4, customers: 2 });
    expect(r.customerOrders?.attributeColumns).toEqual(['tier', 'spend']);
    const rows = await database.sql<{ id: string; region: string; attributes: Record<string, unknown> }[]>`select id, region, attributes from customers order by id`;
    // A: uk twice, fr once; tier from the latest week (2010-01-11), spend from the latest row that has one.
    expect(rows).toEqual([
      { id: 'A', region: 'uk', attributes: { tier: 'gold', spend: 10.5 } },
      { id: 'B', region: 'fr', attributes: {} },
    ]);
  });

  it('accepts the audience files as they are (country, item_id) and reports every bad row with its line, writing nothing', async () => {
    const database = await shopWithProducts();
    const text = [
      'customer_id,country,item_id,week,units',
      '1,United Kingdom,21452,2010-01-04,2',
      '2,United Kingdom,NOPE,2010-01-04,1',
      '3,,21452,2010-01-06,x',
      '1,United Kingdom,21452,2010-01-04,3',
      '4,France,21452,2010-01-04,0',
    ].join('\n');
    const issues = await rejected(importCsvTexts(database, { customerOrders: { file: 'customer_orders.csv', text } }));
    expect(issues).toEqual([
      'customer_orders.csv:3: column "sku": unknown sku "NOPE" (not in the import files nor in the database)',
      'customer_orders.csv:4: column "region": is required',
      'customer_orders.csv:4: column "week": 2010-01-06 is a Wednesday; weeks must be ISO Monday dates (did you mean 2010-01-04?)',
      'customer_orders.csv:4: column "units": "x" is not a number',
      'customer_orders.csv:5: duplicate customer_id 1, sku 21452, week 2010-01-04: already on line 2 (sum a week\'s order lines into one row)',
      'customer_orders.csv:6: column "units": 0 is not a purchase; leave the row out',
    ]);
    expect(await audiencesRepository(database).counts()).toEqual({ customers: 0, orders: 0 });
  });

  it('rejects a header without the required columns, or with both names of one', async () => {
    const database = await fresh();
    const missing = await rejected(importCsvTexts(database, { customerOrders: { file: 'o.csv', text: 'customer_id,sku,week\n1,a,2010-01-04\n' } }));
    expect(missing).toEqual(['o.csv:1: column "region": required column is missing (or name it country)', 'o.csv:1: column "units": required column is missing']);
    const both = await rejected(importCsvTexts(database, { customerOrders: { file: 'o.csv', text: 'customer_id,region,country,sku,week,units\n' } }));
    expect(both).toEqual(['o.csv:1: column "country": "region" and "country" are the same column; keep one']);
  });

  it('rejects orders already stored, and streams in chunks inside the one transaction', async () => {
    const database = await shopWithProducts();
    const text = ['customer_id,region,sku,week,units', ...Array.from({ length: 25 }, (_, i) => `C${i},uk,21452,2010-01-04,1`)].join('\n');
    const first = await importCsvTexts(database, { customerOrders: { file: 'o.csv', text } }, { chunkSize: 10 });
    expect(first.inserted.customerOrders).toBe(25);
    const again = await rejected(importCsvTexts(database, { customerOrders: { file: 'o.csv', text: text + '\nNEW,uk,21452,2010-01-04,1' } }, { chunkSize: 10 }));
    expect(again).toHaveLength(25);
    expect(again[0]).toBe('o.csv:2: an order of customer C0, sku 21452, week 2010-01-04 already exists in the database');
    // The new customer of the rejected file was not kept.
    expect(await audiencesRepository(database).counts()).toEqual({ customers: 25, orders: 25 });
  });

  it('is picked up by `launchloop import --dir` as customer_orders.csv', async () => {
    const database = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'launchloop-customers-'));
    try {
      for (const f of ['scopes.csv', 'products.csv', 'candidates.csv', 'sales.csv']) copyFileSync(join(SHOP, f), join(dir, f));
      copyFileSync(ORDERS, join(dir, FILE_NAMES.customerOrders));
      await importCommand(['--dir', dir, '--database-url', database.url]);
      const rows = readFileSync(ORDERS, 'utf8').trim().split('\n').length - 1;
      expect((await audiencesRepository(database).counts()).orders).toBe(rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await database.close();
    }
  });
});
