import { ApplicationFailure } from '@temporalio/common';

/**
 * Failures that retrying cannot fix. Their `type` shows in the Temporal UI next to the message,
 * and workflows list them as non-retryable (workflows/activity-proxies.ts).
 */
export const failures = {
  invalidData: (message: string, details?: unknown) =>
    ApplicationFailure.create({ message, type: 'InvalidScopeData', nonRetryable: true, details: details === undefined ? [] : [details] }),
  invalidDecision: (message: string) => ApplicationFailure.create({ message, type: 'InvalidPlanDecision', nonRetryable: true }),
  notFound: (message: string) => ApplicationFailure.create({ message, type: 'NotFound', nonRetryable: true }),
  infeasible: (message: string, details?: unknown) =>
    ApplicationFailure.create({ message, type: 'PlanInfeasible', nonRetryable: true, details: details === undefined ? [] : [details] }),
};
