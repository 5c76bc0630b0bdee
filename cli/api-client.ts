import { userInfo } from 'node:os';

/**
 * The HTTP client of the commands that talk to a running API (`plans`, `runs`). Failures are
 * plain Errors with a one-line message (printed by cli/main.ts, exit 1): the API's error code
 * and message for a non-2xx answer, or that the API cannot be reached.
 */
export function defaultApiUrl(): string {
  return `http://127.0.0.1:${process.env.PORT || '3000'}`;
}

/** The name a decision is recorded under when --by is not given. */
export function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the environment.
    return process.env.USER || process.env.LOGNAME || 'unknown';
  }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message} (HTTP ${status})`);
    this.name = 'ApiError';
  }
}

/**
 * The bearer token a command signs in with: --token, else LAUNCHLOOP_TOKEN. Undefined when
 * neither is set (the API then answers 401 with auth.missing_token, which says what to do).
 */
export function resolveToken(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = flag || env.LAUNCHLOOP_TOKEN;
  return token ? token.trim() : undefined;
}

/** The flags every API command takes: the API address, its token and JSON output. */
export const API_FLAGS = { api: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } } as const;

export interface ApiClient {
  get: (path: string) => Promise<unknown>;
  post: (path: string, body: unknown) => Promise<unknown>;
}

export function apiClient(base: string, token: string | undefined = resolveToken(undefined)): ApiClient {
  let root: URL;
  try {
    root = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new Error(`--api must be a URL such as http://127.0.0.1:3000, got "${base}"`);
  }
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const url = new URL(path.replace(/^\//, ''), root);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND…) in a TypeError's cause.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new Error(`cannot reach the API at ${root.origin} (${why}); start it with \`launchloop api\` or pass --api URL`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const e = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code = typeof e?.code === 'string' ? e.code : `http_${res.status}`;
      const message = typeof e?.message === 'string' ? e.message : res.statusText || 'request failed';
      // Sign-in problems say how to sign in; the API's message says what was wrong with the token.
      const hint =
        res.status === 401
          ? token
            ? '; check --token / LAUNCHLOOP_TOKEN (an admin lists tokens with `launchloop tokens list`)'
            : '; pass --token or set LAUNCHLOOP_TOKEN (an admin creates one with `launchloop tokens create --name NAME --role ROLE`)'
          : '';
      throw new ApiError(res.status, code, `${message}${hint}`);
    }
    if (json === undefined) throw new Error(`the API at ${root.origin} answered ${method} ${url.pathname} with something other than JSON`);
    return json;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

/** Columns padded to their widest cell; numbers (right-aligned columns) padded on the left. */
export function table(head: string[], rows: string[][], rightAligned: number[] = []): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
