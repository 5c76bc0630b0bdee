import { connect, migrateDatabase } from '../../db/client.js';
import { loadMarketplace } from '../../data/load.js';
import { generateMarketplace } from '../../data/synthetic/index.js';
import type { MarketplaceOptions } from '../../data/synthetic/types.js';
import { parseFlags, UsageError } from '../args.js';
import { resolveDatabaseUrl } from './db-url.js';

/** Size presets: small is the demo (a full loop in seconds), large is for benchmarks. */
export const SCALES: Record<string, Omit<MarketplaceOptions, 'seed'>> = {
  small: { productsPerCategory: 40, candidatesPerScope: 30, weeks: 160 },
  medium: { productsPerCategory: 100, candidatesPerScope: 60, weeks: 208 },
  large: { productsPerCategory: 250, candidatesPerScope: 120, weeks: 260 },
};

export const help = `usage: launchloop seed [--seed N] [--scale small|medium|large] [--as-of YYYY-MM-DD] [--database-url URL]

Generates the synthetic electronics marketplace (scopes electronics/east|west|north|south) and
loads it in one transaction. It REPLACES the marketplace tables and everything that depends
on them (snapshots, models, forecasts, plans). Database: --database-url or DATABASE_URL.`;

export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    seed: { type: 'string' },
    scale: { type: 'string' },
    'as-of': { type: 'string' },
    'database-url': { type: 'string' },
  });
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  const scaleName = values.scale ?? 'small';
  const scale = SCALES[scaleName];
  if (!scale) throw new UsageError(`--scale must be one of ${Object.keys(SCALES).join(', ')}, got "${scaleName}"`);
  const url = resolveDatabaseUrl(values['database-url']);

  const started = performance.now();
  let marketplace;
  try {
    marketplace = generateMarketplace({ seed, ...scale, asOf: values['as-of'] });
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  const generatedMs = Math.round(performance.now() - started);
  const database = connect(url, { max: 2 });
  try {
    await migrateDatabase(database);
    const { inserted, ms } = await loadMarketplace(database, marketplace, { replace: true });
    console.log(
      `seeded ${marketplace.scopes.map((s) => s.id).join(', ')} (seed ${seed}, ${scaleName}, history ${marketplace.historyStart}..${marketplace.options.asOf})`,
    );
    console.log(Object.entries(inserted).map(([k, v]) => `  ${k}: ${v}`).join('\n'));
    console.log(`generated in ${generatedMs} ms, loaded in ${ms} ms`);
  } finally {
    await database.close();
  }
}
