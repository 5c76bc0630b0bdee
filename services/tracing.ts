import { AsyncLocalStorage } from 'node:async_hooks';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Next, WorkflowClientInterceptor, WorkflowSignalWithStartInput, WorkflowStartInput, WorkflowStartOutput } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';

/**
 * The header that carries the API request id from a workflow start into the workflow, its child
 * workflows and its activities (workers/request-id-*.ts read it). Temporal headers, not the
 * payload: workflow inputs stay what the contracts say.
 */
export const REQUEST_ID_HEADER = 'launchloop-request-id';

/** The request being served, set by the API's request log (api/request-log.ts) for its handlers. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

export interface Tracing {
  /** True when spans are exported (OTEL_EXPORTER_OTLP_ENDPOINT set). */
  exporting: boolean;
  resource: Resource;
  /** Ends workflow spans that the workers export through their sink (a no-op when not exporting). */
  spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

let tracing: Tracing | undefined;

/**
 * The process's OpenTelemetry tracer provider, set up once. With OTEL_EXPORTER_OTLP_ENDPOINT
 * (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, spans go to that collector over OTLP/HTTP in
 * batches; without it nothing is registered, so the Temporal interceptors get OpenTelemetry's
 * no-op tracer and cost next to nothing. The exporter module is loaded only when needed.
 */
export async function setupTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracing> {
  if (tracing) return tracing;
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME || serviceName });
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) {
    tracing = { exporting: false, resource, spanProcessor: new NoopSpanProcessor(), shutdown: async () => {} };
    return tracing;
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  // The exporter reads the endpoint, headers and timeout from the standard OTEL_EXPORTER_OTLP_* variables.
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Global tracer, W3C trace-context propagator and async-hooks context manager.
  provider.register();
  tracing = { exporting: true, resource, spanProcessor, shutdown: () => provider.shutdown() };
  return tracing;
}

/** Sets the request id header and a `requestId` memo on a workflow start made while serving a request. */
function withRequestId<T extends { headers: WorkflowStartInput['headers']; options: WorkflowStartInput['options'] }>(input: T): T {
  const requestId = currentRequestId();
  if (!requestId) return input;
  return {
    ...input,
    headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) },
    options: { ...input.options, memo: { ...input.options.memo, requestId } },
  };
}

/** Carries the serving request's id into the workflows this client starts (header and memo). */
export class RequestIdClientInterceptor implements WorkflowClientInterceptor {
  start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>): Promise<string> {
    return next(withRequestId(input));
  }
  startWithDetails(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>): Promise<WorkflowStartOutput> {
    return next(withRequestId(input));
  }
  signalWithStart(input: WorkflowSignalWithStartInput, next: Next<WorkflowClientInterceptor, 'signalWithStart'>): Promise<string> {
    return next(withRequestId(input));
  }
}

/** The client interceptors every launchloop Temporal client installs: tracing and the request id. */
export function clientInterceptors(): WorkflowClientInterceptor[] {
  return [new OpenTelemetryWorkflowClientInterceptor(), new RequestIdClientInterceptor()];
}
