import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import postgres from 'postgres';
import { connect, migrateDatabase, type Database } from '../db/client.js';
import { loadMarketplace } from '../data/load.js';
import { generateMarketplace } from '../data/synthetic/index.js';
import { loadConfig, type Config } from '../services/config.js';
import { logger, type Logger } from '../services/logger.js';
import { connectClient } from '../services/temporal-client.js';
import { startWorkers, type RunningWorkers } from '../workers/runtime.js';
import type { TestNamespace } from './namespaces.js';
import type { Client } from '@temporalio/client';
import type { QueueName } from '../contracts/queues.js';

/**
 * A fresh, migrated database on the suite's Postgres; `url` is its connection string, for a
 * worker started as a separate process.
 */
export async function freshDatabase(): Promise<Database & { url: string }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(inject('pgUrlTemplate').replace('__DB__', 'postgres'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = inject('pgUrlTemplate').replace('__DB__', name);
  const database = connect(url);
  await migrateDatabase(database);
  return { ...database, url };
}

/** Call at a file's top level: each call of the returned function gives a fresh database, all closed when the file ends. */
export function freshDatabases(): () => Promise<Database> {
  const opened: Database[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close()));
  });
  return async () => {
    const database = await freshDatabase();
    opened.push(database);
    return database;
  };
}

/** The small synthetic marketplace, with rules that keep training short in tests. */
export async function seedSmall(database: Database, rules: Record<string, unknown> = {}): Promise<void> {
  const marketplace = generateMarketplace({ seed: 7, productsPerCategory: 12, candidatesPerScope: 10, weeks: 130 });
  await loadMarketplace(database, marketplace, { replace: true });
  await database.sql`update scopes set rules = ${JSON.stringify({ coldStart: { epochs: 4, checkpointEvery: 1 }, ...rules })}::jsonb`;
}

export interface Stack {
  database: Database;
  client: Client;
  workers: RunningWorkers;
  config: Config;
  close(): Promise<void>;
}

/** Workers of the given pools plus a client, in this process, on the test's namespace. */
export async function startStack(o: { namespace: TestNamespace; database: Database; queues?: QueueName[]; address?: string }): Promise<Stack> {
  return workerStack({ ...o, address: o.address ?? inject('temporalAddress'), queues: o.queues ?? ['workflows', 'cpu', 'gpu'], threads: 2, logger: logger.child({}, { level: 'warn' }) });
}

/** Workers of the given pools and a client on any namespace and server, with the given threads and logger. */
export async function workerStack(o: { address: string; namespace: string; database: Database; queues: QueueName[]; threads: number; logger: Logger }): Promise<Stack> {
  const config: Config = { ...loadConfig({}), temporalNamespace: o.namespace, threads: o.threads };
  const workers = await startWorkers({ queues: o.queues, address: o.address, config, database: o.database, logger: o.logger });
  const client = await connectClient(o.address, o.namespace);
  return {
    database: o.database,
    client,
    workers,
    config,
    async close() {
      await workers.shutdown();
      await client.connection.close();
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 180_000, everyMs = 300): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? `: ${(lastErr as Error).message}` : ''}`);
}

/** The HTTP API on a free loopback port over a stack's database and client, with an admin token to call it with. */
export async function startApi(stack: Stack): Promise<{ url: string; close(): Promise<void>; token: string; auth: { authorization: string } }> {
  const { createApp } = await import('../api/app.js');
  const { createToken } = await import('../api/auth/tokens.js');
  const { tokensRepository } = await import('../db/repositories/tokens.repository.js');
  const { secret } = await createToken(tokensRepository(stack.database), { name: 'test admin', role: 'admin', createdBy: 'test/helpers.ts' });
  // Limits far above any test's pace (test/auth.test.ts checks the limits themselves); no CORS origins.
  const security = { corsOrigins: [], tokenRequestsPerMinute: 100_000, anonymousRequestsPerMinute: 10_000 };
  const server = createApp({ database: stack.database, client: stack.client, logger: logger.child({}, { level: 'silent' }), security }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as import('node:net').AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())), token: secret, auth: { authorization: `Bearer ${secret}` } };
}
