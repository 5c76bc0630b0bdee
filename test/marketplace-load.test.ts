import { describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { snapshotsRepository } from '../db/repositories/snapshots.repository.js';
import { loadMarketplace } from '../data/load.js';
import { generateMarketplace } from '../data/synthetic/generate.js';
import { freshDatabases } from './helpers.js';

const fresh = freshDatabases();

const snapshotDataset = (database: Database, scopeId: string) => snapshotsRepository(database).create(scopeId);

const small = generateMarketplace({ seed: 5, productsPerCategory: 8, candidatesPerScope: 6, weeks: 104, regions: ['east', 'west'] });

async function counts(sql: Database['sql']) {
  const [row] = await sql<Record<string, string>[]>`
    select (select count(*) from scopes) as scopes, (select count(*) from products) as products,
      (select count(*) from candidates) as candidates, (select count(*) from sales) as sales,
      (select count(*) from inventory_snapshots) as inventory, (select count(*) from indicators) as indicators,
      (select count(*) from competitor_events) as "competitorEvents", (select count(*) from promotions) as promotions,
      (select count(*) from prelaunch_signals) as "prelaunchSignals"`;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

describe('loadMarketplace', () => {
  it('writes every row of every table and reports the counts', async () => {
    const database = await fresh();
    const { inserted } = await loadMarketplace(database, small);
    const expected = {
      scopes: 2,
      products: small.products.length,
      candidates: small.candidates.length,
      sales: small.sales.length,
      inventory: small.inventory.length,
      indicators: small.indicators.length,
      competitorEvents: small.competitorEvents.length,
      promotions: small.promotions.length,
      prelaunchSignals: small.prelaunchSignals.length,
    };
    expect(inserted).toEqual(expected);
    expect(await counts(database.sql)).toEqual(expected);
    const [first] = await database.sql`select * from sales order by sku, region, week limit 1`;
    const s = [...small.sales].sort((a, b) => (a.sku + a.region + a.week < b.sku + b.region + b.week ? -1 : 1))[0];
    expect(first).toEqual({ sku: s.sku, region: s.region, week: s.week, units: s.units, price: s.price, promo: s.promo, stockout: s.stockout });
    const [product] = await database.sql`select attributes from products where sku = ${small.products[0].sku}`;
    expect(product.attributes).toEqual(small.products[0].attributes);
    const [siteWide] = await database.sql`select count(*)::int as n from promotions where category is null`;
    expect(siteWide.n).toBe(small.promotions.filter((p) => p.category === null).length);
  });

  it('writes nothing when any statement fails (one transaction)', async () => {
    const database = await fresh();
    // The duplicated last sales row violates the primary key after every other table is written.
    const broken = { ...small, sales: [...small.sales, small.sales[0]] };
    await expect(loadMarketplace(database, broken, { chunkSize: 100 })).rejects.toThrow(/duplicate key/);
    expect(Object.values(await counts(database.sql)).every((n) => n === 0)).toBe(true);
  });

  it('replaces the marketplace on reload, keeping the same fingerprint', async () => {
    const database = await fresh();
    await loadMarketplace(database, small);
    const first = await snapshotDataset(database, 'electronics/east');
    await loadMarketplace(database, small, { replace: true });
    expect(await counts(database.sql)).toMatchObject({ sales: small.sales.length, products: small.products.length });
    const second = await snapshotDataset(database, 'electronics/east');
    expect(second.checksum).toBe(first.checksum);
    expect(second.id).toBe(1); // identities restart with the truncate
  });
});

describe('snapshotsRepository.create', () => {
  it('records the last sales week, row counts and a checksum that changes with the data', async () => {
    const database = await fresh();
    await loadMarketplace(database, small);
    const snap = await snapshotDataset(database, 'electronics/east');
    const east = small.sales.filter((s) => s.region === 'east');
    expect(snap.scopeId).toBe('electronics/east');
    expect(snap.salesThrough).toBe('2026-11-23');
    expect(snap.rowCounts.sales).toBe(east.length);
    expect(snap.rowCounts.candidates).toBe(6);
    expect(snap.checksum).toMatch(/^[0-9a-f]{32}$/);
    const west = await snapshotDataset(database, 'electronics/west');
    expect(west.checksum).not.toBe(snap.checksum);
    await database.sql`update sales set units = units + 1 where region = 'east' and week = '2026-11-23'`;
    expect((await snapshotDataset(database, 'electronics/east')).checksum).not.toBe(snap.checksum);
    await expect(snapshotDataset(database, 'electronics/nowhere')).rejects.toThrow(/unknown scope/);
  });
});
