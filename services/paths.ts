import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { homedir } from 'node:os';

/** Repository root (this file lives in services/). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Git-ignored folder for local state: Postgres data, Temporal's SQLite file, logs. */
export const STATE_DIR = process.env.LAUNCHLOOP_STATE_DIR ?? join(ROOT, '.state');

/** Cache outside the repo for downloaded tools (the Temporal CLI). */
export const CACHE_DIR = process.env.LAUNCHLOOP_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'launchloop');
