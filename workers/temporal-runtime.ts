import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../services/logger.js';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker state changes, workflow and activity logs) into
 * our structured logger at TEMPORAL_LOG_LEVEL (default WARN). Must run before the first
 * worker connection; later calls are no-ops.
 */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  const level = (process.env.TEMPORAL_LOG_LEVEL?.toUpperCase() ?? 'WARN') as LogLevel;
  const log = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      // Expected when each pool polls one kind of task: not worth a warning.
      if (/^No (activities|workflows) registered/.test(entry.message)) return;
      const method = entry.level === 'TRACE' ? 'trace' : entry.level === 'DEBUG' ? 'debug' : entry.level === 'INFO' ? 'info' : entry.level === 'WARN' ? 'warn' : 'error';
      // The task token is an opaque blob: noise in a log line.
      const { taskToken: _token, ...meta } = (entry.meta ?? {}) as Record<string, unknown>;
      log[method](meta, entry.message);
    }),
  });
}
