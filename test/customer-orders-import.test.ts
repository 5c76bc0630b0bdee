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
import { plansRepository } from '../db/repositories/plans.repository.js';
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

describe('audiences repository', () => {
  it('stores a set’s audiences set-based and replaces them whole when the activity runs again', async () => {
    const database = await fresh();
    await importCsvTexts(database, {
      scopes: { file: 'scopes.csv', text: 'id,region,categories\ngiftware/uk,uk,BOX\n' },
      products: { file: 'products.csv', text: 'sku,category,price,launch_week\n21452,BOX,2.95,2010-01-04\n' },
      candidates: { file: 'candidates.csv', text: 'id,scope_id,category,price,earliest_week\nN1,giftware/uk,BOX,3,2010-07-05\nN2,giftware/uk,BOX,4,2010-07-05\n' },
      customerOrders: { file: 'customer_orders.csv', text: 'customer_id,region,sku,week,units\nA,uk,21452,2010-01-04,1\nB,fr,21452,2010-01-04,2\nC,uk,21452,2010-01-11,1\n' },
    });
    const [set] = await database.sql<{ id: number }[]>`insert into forecast_sets (scope_id, run_id, horizon, start_week, method) values ('giftware/uk', 't', 26, '2010-07-05', 't') returning id`;
    const repo = audiencesRepository(database);
    const audience = (id: string, members: string[]) => ({
      candidateId: id,
      expectedBuyers: 1.5,
      byRegion: [{ key: 'uk', share: 0.75 }, { key: 'fr', share: 0.25 }],
      bySegment: [{ key: 'loyal', share: 0.5 }, { key: 'new', share: 0.3 }, { key: 'lapsed', share: 0.15 }, { key: 'occasional', share: 0.05 }],
      members: members.map((customerId, i) => ({ customerId, score: 2 - i })),
    });
    expect(await repo.store(set.id, [audience('N1', ['A', 'B', 'C']), audience('N2', ['C', 'A'])])).toEqual({ candidates: 2, members: 5 });
    // A retry with another result (fewer customers) leaves exactly that result.
    expect(await repo.store(set.id, [audience('N1', ['B', 'A'])])).toEqual({ candidates: 1, members: 2 });
    const [counts] = await database.sql<{ a: number; m: number }[]>`
      select (select count(*)::int from candidate_audiences where set_id = ${set.id}) as a, (select count(*)::int from audience_members where set_id = ${set.id}) as m`;
    expect(counts).toEqual({ a: 1, m: 2 });

    // Read through a plan on that set: its top segments in the plan view, its customers with their regions.
    const [plan] = await database.sql<{ id: number }[]>`
      insert into plans (scope_id, version, run_id, forecast_set_id, method, objective) values ('giftware/uk', 1, 't', ${set.id}, 't', 0) returning id`;
    await database.sql`insert into plan_items (plan_id, candidate_id, launch_week, opening_qty, expected_units, units_lo, units_hi, expected_margin, rationale)
      values (${plan.id}, 'N1', '2010-07-05', 10, 5, 2, 8, 1, '[]'::jsonb), (${plan.id}, 'N2', '2010-07-05', 10, 5, 2, 8, 1, '[]'::jsonb)`;
    const found = await repo.planItemAudience(plan.id, 'N1', 1);
    expect(found.audience).toMatchObject({ size: 2, expectedBuyers: 1.5, customers: [{ rank: 1, customerId: 'B', score: 2, region: 'fr' }] });
    expect(await repo.planItemAudience(plan.id, 'N2', 10)).toEqual({ plan: { id: plan.id }, item: { candidateId: 'N2' } });
    expect(await repo.planItemAudience(plan.id, 'N9', 10)).toEqual({ plan: { id: plan.id } });
    expect(await repo.planItemAudience(plan.id + 1, 'N1', 10)).toEqual({});
    const view = await plansRepository(database).view(plan.id);
    expect(view!.items.map((i) => [i.candidateId, i.audience])).toEqual([
      ['N1', { size: 2, expectedBuyers: 1.5, topSegments: [{ key: 'loyal', share: 0.5 }, { key: 'new', share: 0.3 }, { key: 'lapsed', share: 0.15 }] }],
      ['N2', null],
    ]);
  });
});
