import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { formatZodIssues } from '../contracts/scope-rules.js';
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

/** The one place errors become HTTP: known codes as JSON, everything else a plain 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } });
      return;
    }
    // body-parser's errors carry `type` and `status` (malformed JSON, too large, bad charset).
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'request.invalid_json', message: `request body is not valid JSON: ${e.message}` } });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'request.too_large', message: 'request body is too large' } });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled API error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error; see the API logs' } });
  };
}
