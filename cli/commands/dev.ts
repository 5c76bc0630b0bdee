import { connect, migrateDatabase } from '../../db/client.js';
import { loadConfig } from '../../services/config.js';
import { startLocalStack } from '../../services/stack.js';
import { parseFlags } from '../args.js';
import { waitForInterrupt } from './lifecycle.js';

export const help = `usage: launchloop dev

Starts the embedded Postgres and the Temporal dev server (with its Web UI) and migrates the
database, until Ctrl-C. Other launchloop commands in this checkout find them automatically.`;

/** Embedded Postgres + Temporal dev server (with Web UI), until Ctrl-C. */
export async function run(args: string[]): Promise<void> {
  parseFlags(args, {});
  const stack = await startLocalStack(loadConfig(), (l) => console.log(l));
  const database = connect(stack.databaseUrl, { max: 1 });
  await migrateDatabase(database);
  await database.close();
  console.log(`Postgres:    ${stack.databaseUrl}`);
  console.log(`Temporal:    ${stack.temporalAddress}`);
  if (stack.temporalUiUrl) console.log(`Temporal UI: ${stack.temporalUiUrl}`);
  console.log('Other launchloop commands in this checkout find these automatically. Ctrl-C stops.');
  await waitForInterrupt();
  await stack.stop();
}
