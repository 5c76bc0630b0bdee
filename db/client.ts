import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';

export type Db = PostgresJsDatabase<typeof schema>;
export type Sql = postgres.Sql;

export interface Database {
  db: Db;
  /** The raw postgres.js client, for set-based bulk statements (unnest) the builder can't express. */
  sql: Sql;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export function connect(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 5,
    onnotice: () => {},
    // Dates stay ISO strings: weeks are compared and keyed as 'YYYY-MM-DD' everywhere.
    types: { date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x } },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** Round trip to the server: the health check's database probe. */
export async function ping({ sql }: Database): Promise<void> {
  await sql`select 1`;
}

/** Applies the committed drizzle-kit migrations; safe to call on every start. */
export async function migrateDatabase(database: Database): Promise<void> {
  await database.db.execute('select pg_advisory_lock(7260417)');
  try {
    await migrate(database.db, { migrationsFolder: MIGRATIONS });
  } finally {
    await database.db.execute('select pg_advisory_unlock(7260417)');
  }
}

// Note: JSON parameters are passed as `${JSON.stringify(value)}::jsonb`. postgres.js's
// `sql.json()` fails to serialise once custom `types` are configured (as the date type above).
