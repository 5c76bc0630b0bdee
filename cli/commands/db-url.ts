import { UsageError } from '../args.js';

/**
 * Which database a data command talks to: `--database-url`, else `DATABASE_URL`. The one
 * place to change when commands learn to default to the embedded Postgres of `launchloop dev`.
 */
export function resolveDatabaseUrl(flag: string | undefined): string {
  const url = flag || process.env.DATABASE_URL;
  if (!url) {
    throw new UsageError(
      'no database given: pass --database-url postgres://USER:PASSWORD@HOST:PORT/DB or set DATABASE_URL',
    );
  }
  return url;
}
