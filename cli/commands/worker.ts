import { TASK_QUEUES, type QueueName } from '../../contracts/queues.js';
import { connect, migrateDatabase } from '../../db/client.js';
import { loadConfig } from '../../services/config.js';
import { logger } from '../../services/logger.js';
import { startWorkers } from '../../workers/runtime.js';
import { parseFlags, UsageError } from '../args.js';
import { resolveDatabaseUrl, resolveTemporalAddress } from './db-url.js';
import { waitForInterrupt } from './lifecycle.js';

export const help = `usage: launchloop worker [--queue workflows|cpu|gpu|all]

Runs Temporal workers for one task queue (default all) until Ctrl-C; in production run one
process per pool. Database: DATABASE_URL, else a running \`launchloop dev\`; Temporal:
TEMPORAL_ADDRESS, else the dev server of \`launchloop dev\`.`;

/** One pool per process in production. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { queue: { type: 'string' } });
  const queue = values.queue ?? 'all';
  const queues: QueueName[] = queue === 'all' ? ['workflows', 'cpu', 'gpu'] : [queue as QueueName];
  if (!queues.every((q) => q in TASK_QUEUES)) throw new UsageError(`--queue must be workflows, cpu, gpu or all, got "${queue}"`);
  const config = loadConfig();
  const database = connect(resolveDatabaseUrl(undefined));
  await migrateDatabase(database);
  const workers = await startWorkers({ queues, address: resolveTemporalAddress(), config, database, logger });
  await Promise.race([waitForInterrupt(), workers.done]);
  await workers.shutdown();
  await database.close();
}
