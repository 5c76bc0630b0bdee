import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { workflowIds } from '../contracts/ids.js';
import { TASK_QUEUES } from '../contracts/queues.js';
import { runSearchAttributes } from '../contracts/search-attributes.js';
import type { LoopInput, ReplanInput } from '../contracts/workflows.js';


/** Starts a scope's planning loop, or returns the one already running (one loop per scope). */
export function startLoop(client: Client, input: LoopInput): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return client.workflow.start('planningLoopWorkflow', {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: workflowIds.loop(input.scopeId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [input],
    typedSearchAttributes: runSearchAttributes(input.scopeId, 'loop', input.trigger),
  });
}

/** Starts a replan named by its idempotency key; a duplicate attaches to the first. */
export function startReplan(client: Client, input: ReplanInput, key: string): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return client.workflow.start('replanWorkflow', {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: workflowIds.replan(input.scopeId, key),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [input],
    typedSearchAttributes: runSearchAttributes(input.scopeId, 'replan', input.trigger),
  });
}
