/**
 * Pre-launch interest signals (views, wish-lists, pre-orders, notify-me sign-ups per item and
 * ISO week before launch): set-based writes for the marketplace load and the import, and the
 * reads of the cold-start forecast. Items are product skus or candidate ids (no foreign key:
 * signals may arrive before the item's own row).
 */
import type { Database } from '../client.js';
import { DEFAULT_CHUNK, inChunks, type Tx } from '../bulk.js';
import type { prelaunchSignals } from '../schema.js';

export type PrelaunchSignalInsert = typeof prelaunchSignals.$inferInsert;
export type PrelaunchSignalRow = typeof prelaunchSignals.$inferSelect;

/** Inserts rows inside an open transaction (the marketplace load's or the import's); returns rows written. */
export function insertPrelaunchSignals(tx: Tx, rows: readonly PrelaunchSignalInsert[], chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into prelaunch_signals (item_id, week, views, wishlists, preorders, notify_signups)
    select * from unnest(
      ${tx.array(p.map((r) => r.itemId))}::text[], ${tx.array(p.map((r) => r.week))}::date[],
      ${tx.array(p.map((r) => r.views ?? null))}::float8[], ${tx.array(p.map((r) => r.wishlists ?? null))}::float8[],
      ${tx.array(p.map((r) => r.preorders ?? null))}::float8[], ${tx.array(p.map((r) => r.notifySignups ?? null))}::float8[])`);
}

/** Which of these `item_id|week` keys are stored (the import's duplicate check). */
export async function storedPrelaunchKeys(tx: Tx, keys: ReadonlyArray<{ itemId: string; week: string }>): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx<{ key: string }[]>`
    select t.item_id || '|' || t.week::text as key from prelaunch_signals t
    join unnest(${tx.array(keys.map((k) => k.itemId))}::text[], ${tx.array(keys.map((k) => k.week))}::date[]) as k(item_id, week)
      on t.item_id = k.item_id and t.week = k.week`;
  return new Set(rows.map((r) => r.key));
}

export function prelaunchSignalsRepository({ sql }: Database) {
  return {
    /** The stored weeks of the given items up to `through` (what a forecast as of then could see), oldest first per item. */
    async forItems(itemIds: readonly string[], through: string): Promise<PrelaunchSignalRow[]> {
      if (itemIds.length === 0) return [];
      return sql<PrelaunchSignalRow[]>`
        select item_id as "itemId", week::text as week, views, wishlists, preorders, notify_signups as "notifySignups"
          from prelaunch_signals where item_id = any(${sql.array([...new Set(itemIds)])}::text[]) and week <= ${through}::date
         order by item_id, week`;
    },
  };
}
