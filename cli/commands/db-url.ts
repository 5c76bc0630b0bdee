import { UsageError } from '../args.js';
import { resolveAddresses } from '../../services/stack.js';

/**
 * Which database a data command talks to: `--database-url`, else `DATABASE_URL`, else the
 * embedded Postgres of a running `launchloop dev` / `demo`.
 */
export function resolveDatabaseUrl(flag: string | undefined): string {
  const url = flag || resolveAddresses().databaseUrl;
  if (!url) {
    throw new UsageError(
      'no database given: pass --database-url postgres://USER:PASSWORD@HOST:PORT/DB, set DATABASE_URL, or start the local stack with `launchloop dev`',
    );
  }
  return url;
}

/** The Temporal frontend: TEMPORAL_ADDRESS, else the dev server of a running `launchloop dev` / `demo`. */
export function resolveTemporalAddress(): string {
  const address = resolveAddresses().temporalAddress;
  if (!address) throw new UsageError('no Temporal server: set TEMPORAL_ADDRESS or start the local stack with `launchloop dev`');
  return address;
}
