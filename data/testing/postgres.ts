/**
 * One embedded Postgres per test file, in a temp folder on a free port, with a fresh migrated
 * database per test that needs one. Test support only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrateDatabase, type Database } from '../../db/client.js';
import { freePort } from '../../services/ports.js';
import { startEmbeddedPostgres, type EmbeddedPg } from '../../services/postgres.js';

export interface TestPostgres {
  pg: EmbeddedPg;
  /** A new, migrated database; closed by `stop`. */
  freshDatabase(): Promise<{ url: string; database: Database }>;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'launchloop-pg-'));
  const pg = await startEmbeddedPostgres({ dir: join(root, 'data'), port: await freePort() });
  const open: Database[] = [];
  let n = 0;
  return {
    pg,
    async freshDatabase() {
      const url = await pg.createDatabase(`t_${process.pid}_${++n}`);
      const database = connect(url, { max: 3 });
      open.push(database);
      await migrateDatabase(database);
      return { url, database };
    },
    async stop() {
      await Promise.allSettled(open.map((d) => d.close()));
      await pg.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
