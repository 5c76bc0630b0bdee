/**
 * An audience breakdown's rows as the item page lists them (no DOM here, so the API's unit tests
 * check it): the largest shares by name and the rest summed as "24 other regions".
 */

/** Regions and segments listed by name; the rest are summed. */
export const BREAKDOWN = 6;

/** One left over is named rather than summed: "1 other regions" would take the same line. */
export function breakdownRows(rows: Array<{ key: string; share: number }>, noun: string): Array<{ key: string; share: number }> {
  if (rows.length <= BREAKDOWN + 1) return rows;
  return [...rows.slice(0, BREAKDOWN), { key: `${rows.length - BREAKDOWN} other ${noun}`, share: rows.slice(BREAKDOWN).reduce((s, r) => s + r.share, 0) }];
}
