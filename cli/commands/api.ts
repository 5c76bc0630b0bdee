import { createApp } from '../../api/app.js';
import { connect, migrateDatabase } from '../../db/client.js';
import { loadConfig } from '../../services/config.js';
import { logger } from '../../services/logger.js';
import { connectClient } from '../../services/temporal-client.js';
import { parseFlags } from '../args.js';
import { resolveDatabaseUrl, resolveTemporalAddress } from './db-url.js';
import { waitForInterrupt } from './lifecycle.js';

export const help = `usage: launchloop api [--port N]

Serves the HTTP API (docs/api.md) on --port (default PORT or 3000) until Ctrl-C. Database:
DATABASE_URL, else the embedded Postgres of a running \`launchloop dev\`; Temporal:
TEMPORAL_ADDRESS, else the dev server of \`launchloop dev\`.`;

/** The HTTP API (docs/api.md). */
export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { port: { type: 'string' } });
  const config = loadConfig();
  const port = values.port ? Number(values.port) : config.apiPort;
  const database = connect(resolveDatabaseUrl(undefined));
  await migrateDatabase(database);
  const client = await connectClient(resolveTemporalAddress(), config.temporalNamespace);
  const server = createApp({ database, client, logger }).listen(port, () => logger.info(`API on http://127.0.0.1:${port}`));
  await waitForInterrupt();
  await new Promise((r) => server.close(r));
  await client.connection.close();
  await database.close();
}
