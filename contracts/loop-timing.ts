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

/** Start-to-close, heartbeat and retry budgets per activity class (workflows/activity-proxies.ts). */
export const ACTIVITY_TIMING = {
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6 },
  /** Quick database bookkeeping. */
  bookkeeping: { startToCloseTimeout: '1 minute' },
  /** Statistics and planning on the CPU pool: a dead worker is detected within a minute. */
  cpuHeavy: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '1 minute' },
  /** LSTM training: heartbeats every epoch and every 5 s; each retry resumes from its checkpoint. */
  gpuTraining: { startToCloseTimeout: '2 hours', heartbeatTimeout: '30 seconds', maximumAttempts: 10 },
  /** Launch-curve inference. */
  gpuInference: { startToCloseTimeout: '20 minutes', heartbeatTimeout: '1 minute' },
} as const;

/** The note written on a draft that expired undecided. */
export const expiredNote = (timeout: string) => `expired: no decision within ${timeout}`;
