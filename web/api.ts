/**
 * The page's one way to the API: the bearer token from the sign-in link, JSON in and out, and
 * the API's `{error: {code, message}}` as an ApiError the views show as it is.
 */
import { pageTarget } from './sign-in-target.js';
const TOKEN_KEY = 'launchloop.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A sign-in link `/#token=<secret>` puts the token in sessionStorage (this tab only, gone when
 * it closes) and takes it out of the address bar and the history, so it is not bookmarked,
 * shared or sent as a Referer. `&to=/plans/5` opens that page after signing in (only paths of
 * this page: a `to` that is not one is ignored, so a link cannot send the browser elsewhere).
 */
export function takeTokenFromUrl(): boolean {
  const m = /^#token=([^&]+)(?:&to=([^&]*))?/.exec(location.hash);
  if (!m) return false;
  setToken(decodeURIComponent(m[1]));
  history.replaceState(null, '', `${location.pathname}${location.search}#${pageTarget(m[2])}`);
  return true;
}


export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch (err) {
    throw new ApiError(0, 'network', `the API did not answer (${err instanceof Error ? err.message : String(err)})`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? `http.${res.status}`, e?.message ?? (text.slice(0, 200) || res.statusText));
  }
  return json as T;
}

/** A list endpoint's rows, in the paginated `{items, nextCursor}` shape or the older `{<name>: [...]}`. */
export function rows<T>(body: unknown, name: string): T[] {
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.items)) return b.items as T[];
  if (Array.isArray(b[name])) return b[name] as T[];
  return [];
}

/** All pages of a paginated list (bounded, so a runaway cursor cannot loop forever). */
export async function listAll<T>(path: string, name: string, maxPages = 20): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const body: { nextCursor?: string | null } = await api(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    out.push(...rows<T>(body, name));
    cursor = body.nextCursor ?? null;
    if (!cursor) break;
  }
  return out;
}

/** A fresh Idempotency-Key (the replan route takes 8–100 of [A-Za-z0-9._-]). */
export function idempotencyKey(prefix: string): string {
  const random = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100);
}
