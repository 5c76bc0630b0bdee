/**
 * Loading a marketplace (synthetic or imported) into Postgres in one transaction. The writes
 * live in db/repositories/marketplace.repository.ts; this is the use case with its timing.
 */
import type { Database } from '../db/client.js';
import { marketplaceRepository, type MarketplaceRows } from '../db/repositories/marketplace.repository.js';

/** The table rows of a marketplace; every table is optional so imports can load a subset. */
export type { MarketplaceRows };

export interface LoadOptions {
  /**
   * Empty the marketplace tables first (TRUNCATE … CASCADE): this also empties everything that
   * references scopes or candidates — dataset snapshots, models, forecasts, plans. Runs,
   * artifacts and idempotency keys are kept. Use for reseeding.
   */
  replace?: boolean;
  /** Rows per bulk statement (default 50 000). */
  chunkSize?: number;
}

export interface LoadResult {
  inserted: Record<string, number>;
  ms: number;
}

/** Loads all rows in ONE transaction: on any error nothing is written. */
export async function loadMarketplace(database: Database, marketplace: MarketplaceRows, options: LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const inserted = await marketplaceRepository(database).load(marketplace, options);
  return { inserted, ms: Math.round(performance.now() - started) };
}
