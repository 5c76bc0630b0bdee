import { z } from 'zod';
import { dayNumber } from '../engine/calendar/index.js';
import { errors } from './errors.js';

/**
 * Keyset pagination of the list endpoints (`?limit=&cursor=` → `{ items, nextCursor }`). A
 * cursor is the base64url JSON of the last row's sort key: the next page starts strictly after
 * it, so rows added meanwhile never shift a page the way an offset would. Opaque to clients;
 * each list checks that a cursor holds a key of its own shape (400 otherwise).
 */
export const PAGE_LIMIT = { default: 50, max: 200 } as const;

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A Postgres timestamptz as the database writes it ("2026-12-05 10:57:51.123456+00"), a real instant. */
export const timestampKey = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/)
  .refine((v) => dayNumber(v.slice(0, 10)) !== undefined);

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT.max).default(PAGE_LIMIT.default),
  cursor: z.string().min(1).max(1000).optional(),
});

export const encodeCursor = (key: readonly unknown[]): string => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/** `?limit=` and `?cursor=` of a list request, the cursor decoded against the list's key shape. */
export function pageRequest<K extends readonly unknown[]>(query: Record<string, unknown>, key: z.ZodType<K>): { limit: number; after?: K } {
  const parsed = pageQuery.safeParse({ limit: query.limit, cursor: query.cursor });
  if (!parsed.success) throw errors.validation(parsed.error, 'page request (limit is 1–200, cursor the nextCursor of a previous page)');
  const { limit, cursor } = parsed.data;
  if (cursor === undefined) return { limit };
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const after = key.safeParse(decoded);
  if (!after.success) throw errors.badRequest('cursor is not one this list gave out: pass the nextCursor of the previous page unchanged');
  return { limit, after: after.data };
}

/**
 * The page answer of `rows` read with `limit + 1`: the extra row only tells that another page
 * exists, and the cursor is the key of the last row shown.
 */
export function toPage<T, K extends readonly unknown[]>(rows: T[], limit: number, keyOf: (row: T) => K): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
