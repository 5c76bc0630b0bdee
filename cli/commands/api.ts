import cluster from 'node:cluster';
import { createApp } from '../../api/app.js';
import { apiHost, ensureAdminToken, listen, listeningUrl } from '../../api/auth/listen.js';
import { apiProcesses, startApiWorkers } from '../../api/processes.js';
import { connect, migrateDatabase } from '../../db/client.js';
import { tokensRepository } from '../../db/repositories/tokens.repository.js';
import { loadConfig } from '../../services/config.js';
import { logger } from '../../services/logger.js';
import { connectClient } from '../../services/temporal-client.js';
import { parseFlags } from '../args.js';
import { resolveDatabaseUrl, resolveTemporalAddress } from './db-url.js';
import { waitForInterrupt } from './lifecycle.js';

export const help = `usage: launchloop api [--port N]

Serves the HTTP API (docs/api.md) on --port (default PORT or 3000) until Ctrl-C, on 127.0.0.1
unless HOST is set (HOST=0.0.0.0 for every interface, as the Docker image does). Every route
but the page, /health, /metrics and the API description needs a bearer token; when no admin
token exists yet, one is created and printed once (or LAUNCHLOOP_ADMIN_TOKEN is stored as one).
Database: DATABASE_URL, else the embedded Postgres of a running \`launchloop dev\`; Temporal:
TEMPORAL_ADDRESS, else the dev server of \`launchloop dev\`. Browser origins allowed to call it:
CORS_ORIGINS; request limits: LAUNCHLOOP_RATE_LIMIT[_ANONYMOUS]; processes serving it:
API_PROCESSES (default 1, "auto" for one per core; limits and caches are per process) (README,
Configuration).`;

/**
 * The HTTP API (docs/api.md). With API_PROCESSES above 1 this process migrates the database,
 * forks that many worker processes that serve the port together (api/processes.ts), creates the
 * first admin token and stops them on Ctrl-C; each worker runs this command again and serves.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { port: { type: 'string' } });
  const config = loadConfig();
  const port = values.port ? Number(values.port) : config.apiPort;
  const processes = apiProcesses();
  const databaseUrl = resolveDatabaseUrl(undefined);
  const temporalAddress = resolveTemporalAddress();
  if (cluster.isWorker) return serveWorker(databaseUrl, temporalAddress, port, config.temporalNamespace);
  const database = connect(databaseUrl);
  await migrateDatabase(database);
  if (processes > 1) {
    const workers = await startApiWorkers(processes, (pid, code, signal) => logger.error({ pid, code, signal }, 'an API worker process exited; starting another'));
    const url = `http://${workers.address.family === 'IPv6' ? `[${workers.address.address}]` : workers.address.address}:${workers.address.port}`;
    logger.info({ address: url, processes }, `API on ${url} (${processes} processes)`);
    await ensureAdminToken(tokensRepository(database), process.env, (line) => console.log(line), url.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://127.0.0.1:'));
    await waitForInterrupt();
    await workers.stop();
    await database.close();
    return;
  }
  const client = await connectClient(temporalAddress, config.temporalNamespace);
  const server = await listen(createApp({ database, client, logger }), port, apiHost());
  const url = listeningUrl(server);
  logger.info({ address: url }, `API on ${url}`);
  await ensureAdminToken(tokensRepository(database), process.env, (line) => console.log(line), url.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://127.0.0.1:'));
  await waitForInterrupt();
  await new Promise((r) => server.close(r));
  await client.connection.close();
  await database.close();
}

/** One of API_PROCESSES workers: serves the port its primary listens on until told to stop. */
async function serveWorker(databaseUrl: string, temporalAddress: string, port: number, namespace: string): Promise<void> {
  const database = connect(databaseUrl);
  const client = await connectClient(temporalAddress, namespace);
  const server = await listen(createApp({ database, client, logger }), port, apiHost());
  await waitForInterrupt();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await client.connection.close();
  await database.close();
  // The channel to the primary would keep this process alive.
  process.disconnect();
}
