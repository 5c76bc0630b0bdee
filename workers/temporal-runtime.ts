import { DefaultLogger, Runtime, type LogLevel, type RuntimeOptions } from '@temporalio/worker';
import type { Logger } from '../services/logger.js';

let installed = false;

/**
 * Where the SDK's Prometheus exporter listens (`host:port`, served at `/metrics`), from
 * METRICS_BIND; unset means no SDK metrics (the default, so tests and the demo bind no port).
 */
export function sdkMetricsBind(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bind = env.METRICS_BIND?.trim();
  if (!bind) return undefined;
  if (!/^[^\s:]+:\d{1,5}$/.test(bind) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(bind)) throw new Error(`METRICS_BIND must be host:port (e.g. 127.0.0.1:9464), got "${bind}"`);
  return bind;
}

/**
 * Installs the Temporal SDK runtime once per process, before any worker connection (a
 * NativeConnection or Worker created first would install a default runtime without telemetry):
 * - the SDK's logs (worker state changes, workflow and activity logs, and the native core's
 *   own, forwarded) go to our structured logger at TEMPORAL_LOG_LEVEL (default WARN);
 * - with METRICS_BIND set, the core's Prometheus exporter serves `temporal_*` metrics (workflow
 *   and activity task latencies, poll and slot counts, sticky cache) at http://METRICS_BIND/metrics,
 *   durations in seconds with unit suffixes and `_total` counters, as Prometheus names them.
 * Later calls are no-ops. If the runtime cannot take the metrics (port taken, or a runtime was
 * already created), the workers still run, without SDK metrics, and the log says why.
 */
export function installTemporalRuntime(logger: Logger, env: NodeJS.ProcessEnv = process.env): { metricsBind?: string } {
  if (installed) return {};
  installed = true;
  const level = (env.TEMPORAL_LOG_LEVEL?.toUpperCase() ?? 'WARN') as LogLevel;
  const log = logger.child({ component: 'temporal' });
  const options: RuntimeOptions = {
    logger: new DefaultLogger(level, (entry) => {
      // Expected when each pool polls one kind of task: not worth a warning.
      if (/^No (activities|workflows) registered/.test(entry.message)) return;
      const method = entry.level === 'TRACE' ? 'trace' : entry.level === 'DEBUG' ? 'debug' : entry.level === 'INFO' ? 'info' : entry.level === 'WARN' ? 'warn' : 'error';
      // The task token is an opaque blob: noise in a log line.
      const { taskToken: _token, ...meta } = (entry.meta ?? {}) as Record<string, unknown>;
      log[method](meta, entry.message);
    }),
    telemetryOptions: {
      // The native core's logs through the same logger instead of straight to stderr.
      logging: { filter: { core: level, other: 'ERROR' }, forward: {} },
    },
  };
  const metricsBind = sdkMetricsBind(env);
  if (metricsBind) {
    try {
      Runtime.install({
        ...options,
        telemetryOptions: {
          ...options.telemetryOptions,
          metrics: { prometheus: { bindAddress: metricsBind, useSecondsForDurations: true, unitSuffix: true, countersTotalSuffix: true } },
        },
      });
      log.info({ metricsBind }, `Temporal SDK metrics on http://${metricsBind}/metrics`);
      return { metricsBind };
    } catch (err) {
      log.error({ metricsBind, err: (err as Error).message }, 'Temporal SDK metrics could not start; workers run without them');
    }
  }
  try {
    Runtime.install(options);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'Temporal runtime already created; SDK logs keep its settings');
  }
  return {};
}
