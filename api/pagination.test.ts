import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './errors.js';
import { encodeCursor, pageRequest, timestampKey, toPage } from './pagination.js';

const key = z.tuple([timestampKey, z.number().int()]).readonly();
const fails = (query: Record<string, unknown>) => {
  try {
    pageRequest(query, key);
  } catch (err) {
    return err instanceof ApiError ? `${err.status} ${err.message}` : String(err);
  }
  return 'accepted';
};

describe('keyset pages', () => {
  it('reads limit (default 50, 1–200) and decodes a cursor into the sort key it was made from', () => {
    expect(pageRequest({}, key)).toEqual({ limit: 50 });
    expect(pageRequest({ limit: '200' }, key)).toEqual({ limit: 200 });
    const after = ['2026-12-05 10:57:51.123456+00', 41] as const;
    expect(pageRequest({ limit: '1', cursor: encodeCursor(after) }, key)).toEqual({ limit: 1, after });
  });

  it('answers 400 for a limit outside 1–200 or not a whole number, and for a cursor it did not give out', () => {
    for (const limit of ['0', '201', '2.5', 'ten', ['1', '2']]) expect(fails({ limit })).toMatch(/^400 invalid page request.*limit/);
    expect(fails({ cursor: 'not a cursor!' })).toMatch(/^400 cursor is not one this list gave out/);
    expect(fails({ cursor: encodeCursor(['2026-13-45 10:00:00+00', 1]) })).toMatch(/^400 cursor/);
    expect(fails({ cursor: encodeCursor(['x', 1]) })).toMatch(/^400 cursor/);
    expect(fails({ cursor: encodeCursor([1]) })).toMatch(/^400 cursor/);
    expect(fails({ cursor: Buffer.from('{"a":').toString('base64url') })).toMatch(/^400 cursor/);
  });

  it('cuts the extra row and points the cursor at the last row shown; no cursor on the last page', () => {
    const rows = [{ at: '2026-12-05 10:00:00+00', id: 3 }, { at: '2026-12-05 09:00:00+00', id: 2 }, { at: '2026-12-05 08:00:00+00', id: 1 }];
    const first = toPage(rows, 2, (r) => [r.at, r.id] as const);
    expect(first.items).toEqual(rows.slice(0, 2));
    expect(pageRequest({ cursor: first.nextCursor }, key).after).toEqual([rows[1].at, rows[1].id]);
    expect(toPage(rows.slice(2), 2, (r) => [r.at, r.id] as const)).toEqual({ items: rows.slice(2), nextCursor: null });
    expect(toPage([], 2, (r: { id: number }) => [r.id] as const)).toEqual({ items: [], nextCursor: null });
  });
});
