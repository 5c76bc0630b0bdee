import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { TASK_QUEUES } from '../contracts/queues.js';
import { WORKFLOW_INTERCEPTOR_MODULES, workflowTracingSinks } from './telemetry.js';

const WORKFLOWS = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflow code (with the tracing and request-id interceptors) once per process (webpack, a few seconds) and reuses it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
  return bundle;
}

/** The orchestration worker: deterministic workflow code only, no activities. */
export async function createWorkflowWorker(o: { connection: NativeConnection; namespace: string }): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: TASK_QUEUES.workflows,
    workflowBundle: await workflowBundle(),
    // Workflow spans leave the sandbox through this sink (see workers/telemetry.ts).
    sinks: await workflowTracingSinks(),
  });
}
