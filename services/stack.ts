import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from './config.js';
import { STATE_DIR } from './paths.js';
import { isPortOpen } from './ports.js';
import { startEmbeddedPostgres, type EmbeddedPg } from './postgres.js';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-server.js';

/** Where the running local stack publishes its addresses for other CLI commands. */
const STACK_FILE = join(STATE_DIR, 'stack.json');

export interface StackAddresses {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
}

export interface LocalStack extends StackAddresses {
  stop(): Promise<void>;
}

/**
 * Starts what the environment does not provide: embedded Postgres unless DATABASE_URL is set,
 * the Temporal dev server unless TEMPORAL_ADDRESS is set. State lives under .state/ so plans and
 * workflow histories survive a restart.
 */
export async function startLocalStack(config: Config = loadConfig(), log: (line: string) => void = () => {}): Promise<LocalStack> {
  mkdirSync(STATE_DIR, { recursive: true });
  let pg: EmbeddedPg | undefined;
  let temporal: TemporalDevServer | undefined;
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      if (await isPortOpen(config.postgresPort))
        throw new Error(`port ${config.postgresPort} is taken: is another launchloop running? Stop it, or set LAUNCHLOOP_PG_PORT or DATABASE_URL`);
      log(`starting embedded Postgres on 127.0.0.1:${config.postgresPort}`);
      pg = await startEmbeddedPostgres({ port: config.postgresPort, dir: join(STATE_DIR, 'postgres') });
      log(`embedded Postgres data in ${pg.dataDir}`);
      databaseUrl = await pg.createDatabase('launchloop');
    }
    let temporalAddress = config.temporalAddress;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      if (await isPortOpen(config.temporalPort))
        throw new Error(`port ${config.temporalPort} is taken: is another Temporal server running? Set TEMPORAL_ADDRESS to use it, or LAUNCHLOOP_TEMPORAL_PORT`);
      log(`starting Temporal dev server on 127.0.0.1:${config.temporalPort} (history in ${join(STATE_DIR, 'temporal.db')})`);
      temporal = await startTemporalDevServer({
        port: config.temporalPort,
        uiPort: config.temporalUiPort,
        dbFile: join(STATE_DIR, 'temporal.db'),
        logFile: join(STATE_DIR, 'temporal.log'),
        log,
      });
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }
    const addresses: StackAddresses = { databaseUrl, temporalAddress, temporalUiUrl };
    writeFileSync(STACK_FILE, JSON.stringify({ ...addresses, pid: process.pid }, null, 2));
    return {
      ...addresses,
      async stop() {
        rmSync(STACK_FILE, { force: true });
        await temporal?.stop();
        await pg?.stop();
      },
    };
  } catch (err) {
    await temporal?.stop();
    await pg?.stop();
    throw err;
  }
}

/**
 * Addresses for a command that joins a running stack: the environment first, then the stack
 * file written by `launchloop dev` / `demo`.
 */
export function resolveAddresses(config: Config = loadConfig()): Partial<StackAddresses> {
  let fromFile: Partial<StackAddresses> = {};
  if (existsSync(STACK_FILE)) {
    try {
      const parsed = JSON.parse(readFileSync(STACK_FILE, 'utf8')) as Partial<StackAddresses> & { pid?: number };
      const alive = parsed.pid !== undefined && processAlive(parsed.pid);
      if (alive) fromFile = parsed;
    } catch {
      // A torn or stale file means no running stack; fall through to the environment.
    }
  }
  return {
    databaseUrl: config.databaseUrl ?? fromFile.databaseUrl,
    temporalAddress: config.temporalAddress ?? fromFile.temporalAddress,
    temporalUiUrl: fromFile.temporalUiUrl,
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
