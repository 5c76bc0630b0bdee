import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';

/**
 * How many processes serve the API: `API_PROCESSES` (a positive whole number, or `auto` for one
 * per core), 1 by default. One Node process runs its JavaScript on one core, so on a machine
 * with cores to spare more processes answer more requests; they share the listening port
 * (node:cluster hands each new connection to one of them).
 *
 * Each process keeps its own memory, so with N processes: a token's rate limit is counted per
 * process (a client spreading its connections can send up to N × the limit a minute), the
 * token cache and the plan answers are per process (a revocation or decision made through one
 * is seen by the others after the caches' bounds, 5 s and 1 s, as for another API replica).
 */
export function apiProcesses(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.API_PROCESSES?.trim();
  if (!raw) return 1;
  if (raw === 'auto') return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`API_PROCESSES must be a positive whole number or "auto", got "${raw}"`);
  return n;
}

export interface ApiWorkers {
  /** The address the workers listen on (one port for all). */
  address: AddressInfo;
  /** Asks every worker to stop (SIGTERM) and resolves when all have exited. */
  stop(): Promise<void>;
}

/**
 * Primary side of an API served by `n` processes: forks `n` workers, each running the same
 * script and arguments (they see `cluster.isWorker` and listen), and resolves once all listen.
 * A worker that exits before listening fails the start (a crash loop would otherwise hide
 * behind restarts); one that dies later is replaced, and `onWorkerExit` is told.
 */
export function startApiWorkers(n: number, onWorkerExit: (pid: number | undefined, code: number | null, signal: string | null) => void): Promise<ApiWorkers> {
  let stopping = false;
  const workers = new Set<Worker>();
  return new Promise((resolve, reject) => {
    let listening = 0;
    let address: AddressInfo | undefined;
    const fork = () => {
      const worker = cluster.fork();
      workers.add(worker);
      let listened = false;
      worker.once('listening', (a: { address: string; port: number; addressType: number | string }) => {
        listened = true;
        address ??= { address: a.address, port: a.port, family: a.addressType === 6 || a.addressType === 'IPv6' ? 'IPv6' : 'IPv4' };
        if (++listening === n) resolve({ address, stop });
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        if (stopping) return;
        onWorkerExit(worker.process.pid, code, signal);
        if (!listened) {
          stopping = true;
          for (const w of workers) w.process.kill('SIGTERM');
          reject(new Error(`an API worker process exited (code ${code}, signal ${signal}) before listening`));
        } else fork();
      });
    };
    for (let i = 0; i < n; i++) fork();
  });

  function stop(): Promise<void> {
    stopping = true;
    const exited = [...workers].map((w) => new Promise<void>((r) => (w.isDead() ? r() : w.once('exit', () => r()))));
    for (const w of workers) w.process.kill('SIGTERM');
    return Promise.all(exited).then(() => undefined);
  }
}
