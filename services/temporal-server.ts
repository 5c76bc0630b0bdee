import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { waitForPort } from './ports.js';

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs the official `temporal server start-dev` with SQLite persistence (`--db-filename`), the
 * Web UI, and launchloop's search attributes registered, and waits until it answers gRPC.
 */
export async function startTemporalDevServer(options: {
  port: number;
  uiPort: number;
  dbFile: string;
  logFile?: string;
  /** Extra namespaces to create at start (search attributes are registered in each). */
  namespaces?: string[];
  headless?: boolean;
  log?: (line: string) => void;
}): Promise<TemporalDevServer> {
  const cli = ensureTemporalCli(options.log);
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
    ...(options.namespaces ?? []).flatMap((n) => ['--namespace', n]),
    ...(options.headless ? ['--headless'] : []),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `temporal dev server exited (code ${code}, signal ${signal})`;
  });
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const out = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitForPort(options.port, 60_000, 'temporal dev server');
    // The port opens before the frontend serves; wait until a real call succeeds.
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(exited);
      try {
        const conn = await Connection.connect({ address, connectTimeout: 2_000 });
        await conn.workflowService.getSystemInfo({});
        await conn.close();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
