/** Task queues: one per worker pool, so each pool scales (and is placed) independently. */
export const TASK_QUEUES = {
  /** Deterministic orchestration only. */
  workflows: 'launchloop-workflows',
  /** Data, statistics and planning: forecasting, regression, Markov chain, game, optimiser. */
  cpu: 'launchloop-cpu',
  /** LSTM training and inference (TensorFlow.js on the fastest backend present). */
  gpu: 'launchloop-gpu',
} as const;

export type QueueName = keyof typeof TASK_QUEUES;
