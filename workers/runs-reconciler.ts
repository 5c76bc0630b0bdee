import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { createRunsReconciler, temporalWorkflowStatus } from '../activities/runs.activities.js';
import { RUNS_RECONCILER } from '../contracts/loop-timing.js';
import type { Database } from '../db/client.js';
import { runsRepository } from '../db/repositories/runs.repository.js';
import type { Logger } from '../services/logger.js';

/**
 * The runs reconciler, on a timer in each CPU worker process: every `everyMs` it closes rows still
 * `running` after `olderThanMs` whose workflows Temporal has closed. Several CPU workers may
 * sweep at once: closing is conditional on the row still running, so they agree. A sweep that
 * fails (database or Temporal down) is logged and tried again next time.
 */
export function startRunsReconciler(o: { connection: NativeConnection; namespace: string; database: Database; logger: Logger; everyMs?: number; olderThanMs?: number }): { stop(): Promise<void> } {
  const reconciler = createRunsReconciler({
    repo: runsRepository(o.database),
    lookup: temporalWorkflowStatus(new Client({ connection: o.connection, namespace: o.namespace })),
  });
  const everyMs = o.everyMs ?? RUNS_RECONCILER.everyMs;
  const olderThanMs = o.olderThanMs ?? RUNS_RECONCILER.olderThanMs;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const sweep = async () => {
    try {
      const { closed } = await reconciler.sweep({ olderThanMs });
      for (const c of closed) o.logger.warn(c, 'runs reconciler closed a row its workflow left running');
    } catch (err) {
      o.logger.warn({ err: (err as Error).message }, 'runs reconciler sweep failed; next sweep retries');
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(sweep);
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
