import type { ErrorRequestHandler } from 'express';
import { isGrpcServiceError } from '@temporalio/client';
import type { z } from 'zod';
import { formatZodIssues } from '../contracts/scope-rules.js';
import { classifyDatabaseError } from '../db/client.js';
import type { Logger } from '../services/logger.js';

/** An error with a stable code (`plans.not_found`) that maps to one HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const errors = {
  badRequest: (message: string, details?: unknown) => new ApiError(400, 'request.invalid', message, details),
  validation: (error: z.ZodError, where: string) =>
    new ApiError(400, 'request.invalid', `invalid ${where}: ${formatZodIssues(error).join('; ')}`, formatZodIssues(error)),
  notFound: (code: string, message: string) => new ApiError(404, code, message),
  conflict: (code: string, message: string) => new ApiError(409, code, message),
  unprocessable: (code: string, message: string) => new ApiError(422, code, message),
  unavailable: (code: string, message: string) => new ApiError(503, code, message),
};

/** gRPC status codes that mean the Temporal server cannot be reached in time (UNAVAILABLE, DEADLINE_EXCEEDED). */
const TEMPORAL_UNREACHABLE = new Set([14, 4]);

/** True for a @temporalio/client error (ServiceError, connection error) whose cause is an unreachable server. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && TEMPORAL_UNREACHABLE.has(e.code)) return true;
    // Connection.connect / ensureConnected before the channel is ready.
    if (/Failed to connect before the deadline|Failed to connect to Temporal server/.test(e.message)) return true;
  }
  return false;
}

/**
 * An infrastructure error as the 503 it should be answered with: the database or Temporal is
 * down or restarting, or a statement lost to a concurrent one. Undefined for anything else.
 */
export function unavailableError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err.status === 503 ? err : undefined;
  const db = classifyDatabaseError(err);
  if (db?.kind === 'unavailable') return errors.unavailable('service.database_unavailable', `the database is unreachable or restarting (${db.code}); retry shortly`);
  if (db?.kind === 'contention') return errors.unavailable('service.database_busy', `the request lost to a concurrent one (${db.code}); retry`);
  if (isTemporalUnavailable(err)) return errors.unavailable('service.temporal_unavailable', 'the Temporal server is unreachable; retry shortly');
  return undefined;
}

/**
 * The one place errors become HTTP: known codes as JSON, an unreachable database or Temporal a
 * 503 with its code, everything else a plain 500 whose body never carries the error's text
 * (it may quote SQL); the log has it.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    // The unavailability guard (api/app.ts) may have answered already; the handler failing after
    // that is expected, not news.
    if (res.headersSent) {
      logger.debug({ err, method: req.method, path: req.path }, 'error after the response was sent');
      return;
    }
    // The guard found a dependency down and cancelled the request's calls: whatever they threw
    // (a cancelled gRPC call) is that outage.
    const unavailable = (res.locals.unavailable as ApiError | undefined) ?? unavailableError(err);
    if (unavailable) {
      logger.warn({ code: unavailable.code, err: (err as Error)?.message, method: req.method, path: req.path }, 'dependency unavailable');
      res.status(503).set('Retry-After', '5').json({ error: { code: unavailable.code, message: unavailable.message } });
      return;
    }
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } });
      return;
    }
    // body-parser's errors carry `type` and `status` (malformed JSON, too large, bad charset).
    const e = err as { type?: string; status?: number; message?: string; limit?: number; length?: number };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'request.invalid_json', message: `request body is not valid JSON: ${e.message}` } });
      return;
    }
    if (e.type === 'entity.too.large') {
      const size = typeof e.length === 'number' ? `${e.length} bytes` : 'more bytes';
      res.status(413).json({ error: { code: 'request.too_large', message: `${req.method} ${req.path}: the request body (${size}) is over the API's limit of ${e.limit ?? '?'} bytes` } });
      return;
    }
    // The body parser's other refusals are the client's too (a charset or Content-Encoding it
    // cannot read, a body shorter than its Content-Length, a broken gzip stream): their own status.
    const client = body4xx(e, req.method, req.path);
    if (client) {
      res.status(client.status).json({ error: { code: client.code, message: client.message } });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled API error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error; see the API logs' } });
  };
}

/**
 * A body-parser / raw-body error (http-errors with `expose`) as the client error it is: 415 for a
 * charset or Content-Encoding it cannot read, 400 for a body it could not read whole (aborted,
 * shorter than Content-Length, a broken compressed stream). Undefined for anything else.
 */
function body4xx(e: { type?: string; status?: number; message?: string; expose?: boolean; charset?: string }, method: string, path: string): { status: 400 | 415; code: string; message: string } | undefined {
  if (e.expose !== true) return undefined;
  const where = `${method} ${path}`;
  if (e.status === 415 && e.type === 'charset.unsupported')
    return { status: 415, code: 'request.unsupported_media_type', message: `${where}: the body's charset "${e.charset ?? '?'}" is not supported; send UTF-8 JSON ("Content-Type: application/json")` };
  if (e.status === 415 && e.type === 'encoding.unsupported')
    return { status: 415, code: 'request.unsupported_media_type', message: `${where}: ${e.message ?? 'content encoding unsupported'}; send the body uncompressed or as gzip, deflate or br` };
  if (e.status === 400) return { status: 400, code: 'request.invalid', message: `${where}: the request body could not be read: ${e.message ?? 'malformed body'}` };
  return undefined;
}
