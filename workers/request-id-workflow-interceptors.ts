/**
 * Workflow interceptors (bundled into the workflow sandbox: @temporalio/workflow only) that carry
 * the API request id of a workflow start (header `launchloop-request-id`, set by the client's
 * RequestIdClientInterceptor in services/tracing.ts) to the workflow's logs, its activities and
 * its child workflows. A continue-as-new does not carry it: the next cycle was not that request.
 * Headers are not part of the commands replay compares, so adding them changes no history.
 */
import type { Headers } from '@temporalio/common';
import { defaultPayloadConverter, type WorkflowInterceptors } from '@temporalio/workflow';

/** Same as REQUEST_ID_HEADER in services/tracing.ts (not importable here: that module is Node-only). */
const HEADER = 'launchloop-request-id';

export const interceptors = (): WorkflowInterceptors => {
  // Per workflow execution: the factory runs once for each, so nothing leaks between workflows.
  let requestId: string | undefined;
  const carry = <T extends { headers: Headers }>(input: T): T =>
    requestId === undefined ? input : { ...input, headers: { ...input.headers, [HEADER]: defaultPayloadConverter.toPayload(requestId) } };
  return {
    inbound: [
      {
        execute(input, next) {
          const payload = input.headers[HEADER];
          if (payload) requestId = defaultPayloadConverter.fromPayload<string>(payload);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(carry(input)),
        scheduleLocalActivity: (input, next) => next(carry(input)),
        startChildWorkflowExecution: (input, next) => next(carry(input)),
        getLogAttributes: (input, next) => next(requestId === undefined ? input : { ...input, requestId }),
      },
    ],
  };
};
