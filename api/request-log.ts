import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../services/logger.js';
import { requestContext } from '../services/tracing.js';

export const REQUEST_ID_HTTP_HEADER = 'X-Request-Id';

/** A caller's id is kept when it is a plausible id (a UUID, a trace id, a load balancer's); anything else is replaced. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when acceptable, else a new UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

/** Scrapes and probes arrive every few seconds: logging each would drown the requests that matter. */
const QUIET_PATHS = new Set(['/metrics', '/health']);

/**
 * Every request gets an id (the caller's `X-Request-Id`, or a new UUID), echoed in the response's
 * `X-Request-Id`, logged with one line per request when it completes (method, URL, status,
 * milliseconds; 5xx at error, 4xx at warn, the rest at info; never headers, so no bearer token),
 * and kept for the request's handlers (services/tracing.ts requestContext) so the workflows they
 * start carry it in a header and their memo, and the workflows' and activities' logs show it.
 */
export function requestLog(logger: Logger): RequestHandler {
  const http = pinoHttp<IncomingMessage, ServerResponse>({
    logger: logger.child({ component: 'http' }),
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers['x-request-id']);
      res.setHeader(REQUEST_ID_HTTP_HEADER, id);
      return id;
    },
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]!) },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
  return (req, res, next) => {
    http(req, res);
    requestContext.run({ requestId: String(req.id) }, next);
  };
}
