import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { TASK_QUEUES } from '../contracts/queues.js';

const WORKFLOWS = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflow code once per process (webpack, a few seconds) and reuses it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
  return bundle;
}

/** The orchestration worker: deterministic workflow code only, no activities. */
export async function createWorkflowWorker(o: { connection: NativeConnection; namespace: string }): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: TASK_QUEUES.workflows,
    workflowBundle: await workflowBundle(),
  });
}
