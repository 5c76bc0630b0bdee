import type { ApiClient } from './api-client.js';
import { positiveInt, UsageError } from './args.js';

/** The flags of a list command: page size, where to start, or every page. */
export const PAGE_FLAGS = { limit: { type: 'string' }, cursor: { type: 'string' }, all: { type: 'boolean' } } as const;

/** The most rows one page of the API holds (api/pagination.ts). */
const MAX_LIMIT = 200;

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Reads a list endpoint (`{items, nextCursor}`): one page from `--cursor` (or the first), or with
 * `--all` every page, following nextCursor (read at the largest page size unless --limit says).
 */
export async function readList<T>(
  client: ApiClient,
  path: string,
  query: URLSearchParams,
  flags: { limit?: string; cursor?: string; all?: boolean },
): Promise<ListPage<T>> {
  const limit = flags.limit === undefined ? undefined : positiveInt(flags.limit, 'limit');
  if (limit !== undefined && limit > MAX_LIMIT) throw new UsageError(`--limit is at most ${MAX_LIMIT}, got ${limit}`);
  const items: T[] = [];
  let cursor = flags.cursor;
  for (;;) {
    const q = new URLSearchParams(query);
    const size = limit ?? (flags.all ? MAX_LIMIT : undefined);
    if (size !== undefined) q.set('limit', String(size));
    if (cursor) q.set('cursor', cursor);
    const text = q.toString();
    const page = (await client.get(`${path}${text ? `?${text}` : ''}`)) as ListPage<T>;
    items.push(...page.items);
    if (!flags.all || !page.nextCursor) return { items, nextCursor: page.nextCursor };
    cursor = page.nextCursor;
  }
}

/** The line after a table that has more rows: the command that shows the next page. */
export function moreLine(command: string, nextCursor: string | null): string | undefined {
  return nextCursor ? `more… next page: ${command} --cursor ${nextCursor} (or --all)` : undefined;
}
