import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
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

const pathOf = (url: string | undefined) => {
  const u = url ?? '';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
};

/** Kept on the request between its start and its log line. */
interface Logged extends IncomingMessage {
  id?: string;
  logStartedAt?: number;
}

/**
 * Every request gets an id (the caller's `X-Request-Id`, or a new UUID), echoed in the response's
 * `X-Request-Id`, logged with one line per request when it completes (method, URL, status,
 * milliseconds; 5xx at error, 4xx at warn, the rest at info; never headers, so no bearer token),
 * and kept for the request's handlers (services/tracing.ts requestContext) so the workflows they
 * start carry it in a header and their memo, and the workflows' and activities' logs show it.
 *
 * Written out rather than through pino-http: the line is the same (`req: {id, method, url}`,
 * `res: {statusCode}`, `responseTime`), but without a child logger and serializer pass per
 * request, and nothing is built when the line's level is off (the load bench: ~20% of the API's
 * CPU per request went to pino-http).
 */
export function requestLog(logger: Logger): RequestHandler {
  const start = requestLogStart(logger);
  return (req, res, next) => {
    const id = start(req, res);
    requestContext.run({ requestId: id }, next);
  };
}

/**
 * What `requestLog` does for a request before its handlers run, without the request context:
 * gives it its id (set in the answer's X-Request-Id) and writes its log line when it completes.
 * The fast lane (api/fast-lane.ts) answers before it returns, so it has no handlers to carry
 * the id to.
 */
export function requestLogStart(logger: Logger): (req: IncomingMessage, res: ServerResponse) => string {
  const http = logger.child({ component: 'http' });
  // One listener for every response (`this` is the response), not a closure per request.
  function completed(this: ServerResponse) {
    const req = this.req as Logged;
    const status = this.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!http.isLevelEnabled(level)) return;
    const finished = this.writableFinished;
    http[level](
      { req: { id: req.id, method: req.method, url: req.url }, res: { statusCode: status }, responseTime: Math.round(performance.now() - (req.logStartedAt ?? 0)) },
      !finished ? 'request aborted' : status >= 500 ? 'request errored' : 'request completed',
    );
  }
  return (req, res) => {
    const id = requestIdOf(req.headers['x-request-id']);
    const logged = req as Logged;
    logged.id = id;
    res.setHeader(REQUEST_ID_HTTP_HEADER, id);
    if (!QUIET_PATHS.has(pathOf(req.url))) {
      logged.logStartedAt = performance.now();
      // 'close' also fires for a client that hung up before the answer; 'finish' would miss it.
      res.once('close', completed);
    }
    return id;
  };
}
