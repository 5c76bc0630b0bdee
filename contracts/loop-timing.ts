/**
 * The loop's clock in one place: how often it adjusts, how long a draft waits for a decision,
 * and how long each kind of activity may run. Workflows read these values into their timers
 * and activity options, so a change here is a workflow change: run workflows/replay.test.ts.
 * docs/architecture.md ("Timeouts and retries") quotes them.
 */
export const LOOP_TIMING = {
  /** Without sales feedback or a replan request, the loop adjusts after this long. */
  feedbackInterval: '7 days',
  /** A draft plan nobody decides on is rejected after this long (loop and replan alike). */
  approvalTimeout: '30 days',
  /** Weeks ahead forecast and planned when the start request does not say. */
  horizonWeeks: 26,
} as const;

/**
 * How a scope's product forecasting fans out (workflows/forecast.ts): its series are split into
 * shards of about `seriesPerShard` (by a hash of the series key, so a shard's members never
 * depend on what else is in the scope), one `forecastSeriesShard` activity each on the CPU
 * queue. All shards are scheduled at once; each CPU worker's `LAUNCHLOOP_CPU_CONCURRENCY`
 * bounds how many it runs. Small enough that two workers finish within a shard of each other
 * on a 10,000-series scope, large enough that a shard's read and write amortise (a shard of
 * 1,000 series is ~10 s of one thread with `auto`). `ForecastInput.seriesPerShard` overrides it.
 */
export const FORECAST_SHARDS = {
  seriesPerShard: 1_000,
  /** A larger scope never gets more shards than this: each one is an event pair in the history. */
  maxShards: 1_000,
} as const;

/**
 * Start-to-close, heartbeat and retry budgets per activity class (workflows/activity-proxies.ts).
 * Attempts are unlimited (no maximumAttempts): what bounds an activity is its class's
 * schedule-to-close, set to outlast a realistic outage of Postgres, Temporal or a worker pool
 * (a 4-minute Postgres restart costs a run a few retries, not the run). Errors that retrying
 * cannot fix end the activity at once (invalid data, typed non-retryable failures), and an
 * unexpected error (a bug) after `unexpectedErrorAttempts` attempts:
 * activities/failure-classification.ts types every error in one place.
 */
export const ACTIVITY_TIMING = {
  /** Backoff: 1 s, 2 s, 4 s … at most 30 s apart, so a run carries on within 30 s of the database coming back. */
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  /** Quick database bookkeeping; retried through a 2-hour outage. */
  bookkeeping: { startToCloseTimeout: '1 minute', scheduleToCloseTimeout: '2 hours' },
  /** Statistics and planning on the CPU pool: a dead worker is detected within a minute. */
  cpuHeavy: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '1 minute', scheduleToCloseTimeout: '6 hours' },
  /** LSTM training: heartbeats every epoch and every 5 s; each retry resumes from its checkpoint. */
  gpuTraining: { startToCloseTimeout: '2 hours', heartbeatTimeout: '30 seconds', scheduleToCloseTimeout: '12 hours' },
  /** Launch-curve inference. */
  gpuInference: { startToCloseTimeout: '20 minutes', heartbeatTimeout: '1 minute', scheduleToCloseTimeout: '6 hours' },
  /**
   * Attempts an activity gets for errors nobody classified (neither infrastructure nor data):
   * a bug fails the run after these, instead of retrying until schedule-to-close.
   */
  unexpectedErrorAttempts: { default: 6, trainColdStartModel: 10 } as Record<string, number> & { default: number },
} as const;

/**
 * The runs reconciler (workers/runs-reconciler.ts): how often each CPU worker checks rows still
 * `running`, and how old a row must be before Temporal is asked about it.
 */
export const RUNS_RECONCILER = { everyMs: 60_000, olderThanMs: 2 * 60_000 } as const;

/** The note written on a draft that expired undecided. */
export const expiredNote = (timeout: string) => `expired: no decision within ${timeout}`;
