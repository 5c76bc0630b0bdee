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
  /**
   * A one-connection client beside the pool for health probes, so a probe never queues behind
   * busy pool connections and reads a loaded database as a dead one.
   */
  probeSql?: Sql;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Seconds a new connection may take. Short, so that while the server is down or restarting a
 * query fails within this long (the API answers 503, activities retry with backoff) instead of
 * waiting postgres.js's default 30 s; a healthy server, even over TLS, connects in milliseconds.
 */
export const CONNECT_TIMEOUT_SECONDS = 1.5;

export function connect(url: string, options: { max?: number; connectTimeoutSeconds?: number } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 5,
    connect_timeout: options.connectTimeoutSeconds ?? CONNECT_TIMEOUT_SECONDS,
    onnotice: () => {},
    // Dates stay ISO strings: weeks are compared and keyed as 'YYYY-MM-DD' everywhere.
    types: { date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x } },
  });
  // postgres.js connects on first use and drops the connection after idle_timeout seconds.
  const probeSql = postgres(url, { max: 1, connect_timeout: options.connectTimeoutSeconds ?? CONNECT_TIMEOUT_SECONDS, idle_timeout: 30, onnotice: () => {} });
  const db = drizzle(sql, { schema });
  return { db, sql, probeSql, close: async () => void (await Promise.all([sql.end({ timeout: 5 }), probeSql.end({ timeout: 1 })])) };
}

/**
 * Round trip to the server within `timeoutMs` (the health check's and the API's database
 * probe); rejects with the driver's error, or a CONNECT_TIMEOUT-coded one when it took too long.
 */
export async function ping({ sql, probeSql }: Database, timeoutMs = 1_500): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer from the database within ${timeoutMs} ms`), { code: 'CONNECT_TIMEOUT' })), timeoutMs);
  });
  try {
    await Promise.race([(probeSql ?? sql)`select 1`, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What a database error means for whoever sees it:
 * - `unavailable`: the server cannot be reached or is restarting (connection refused/reset/timed
 *   out, `08xxx`, `57P01` admin shutdown, `57P02` crash shutdown, `57P03` starting up,
 *   `53xxx` out of connections or resources): retry later, the same statement will work;
 * - `contention`: the statement lost to a concurrent one (`40001` serialization failure,
 *   `40P01` deadlock, `55P03` lock not available): retry at once;
 * - `invalid-data`: a value the schema cannot hold (`22xxx` data exception): retrying cannot help.
 * Anything else (constraint violations, syntax, permissions) is left unclassified.
 */
export type DatabaseErrorKind = 'unavailable' | 'contention' | 'invalid-data';

/** Error codes of node's sockets and of postgres.js itself for a connection that failed or broke. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED',
]);

/** The SQLSTATE or connection code of a database error, looking through wrappers (drizzle's `Failed query`). */
export function databaseErrorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^[0-9A-Z]{5}$/.test(code))) return code;
    // AggregateError: a host name that resolves to several addresses, each refused.
    if (e instanceof AggregateError) for (const inner of e.errors) {
      const c = databaseErrorCode(inner);
      if (c) return c;
    }
  }
  return undefined;
}

export function classifyDatabaseError(err: unknown): { kind: DatabaseErrorKind; code: string } | undefined {
  const code = databaseErrorCode(err);
  if (!code) return undefined;
  if (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('53') || /^57P0[1-3]$/.test(code)) return { kind: 'unavailable', code };
  if (code === '40001' || code === '40P01' || code === '55P03') return { kind: 'contention', code };
  if (code.startsWith('22')) return { kind: 'invalid-data', code };
  return undefined;
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
