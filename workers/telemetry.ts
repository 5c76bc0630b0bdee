import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Context } from '@temporalio/activity';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, type OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptors, ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { defaultPayloadConverter } from '@temporalio/common';
import { REQUEST_ID_HEADER, setupTracing } from '../services/tracing.js';

const require = createRequire(import.meta.url);

/**
 * Interceptor modules bundled into the workflow code: OpenTelemetry's (workflow, activity and
 * child-workflow spans, context through headers; bundle-safe by design) and the request id's.
 * Always bundled, tracing on or off, so the code replay tests check is the code that runs.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
  fileURLToPath(new URL('./request-id-workflow-interceptors.ts', import.meta.url)),
];

/**
 * The sink the workflow spans leave the sandbox through; ends them in the process's span
 * processor (a no-op one when tracing is off, so the sink always exists).
 */
export async function workflowTracingSinks(): Promise<InjectedSinks<OpenTelemetrySinks>> {
  const tracing = await setupTracing('launchloop-worker');
  return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
}

/** Adds the request id of the workflow start (carried in the activity's headers) to the activity's log lines. */
function requestIdActivityInterceptors(): ActivityInterceptors {
  let requestId: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        const payload = input.headers[REQUEST_ID_HEADER];
        if (payload) requestId = defaultPayloadConverter.fromPayload<string>(payload);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next(requestId === undefined ? input : { ...input, requestId }),
    },
  };
}

/** Activity interceptors of both activity pools: a span per activity (child of the workflow's) and the request id in logs. */
export const telemetryActivityInterceptors: ActivityInterceptorsFactory[] = [
  (ctx: Context) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
  () => requestIdActivityInterceptors(),
];
