/**
 * How a scope's series are split into forecast shards. A series belongs to shard
 * `hash(key) mod shards`: membership depends only on its key and the shard count, so a shard
 * retried after other series were added or removed still forecasts the same series it did
 * before, the shards never overlap, and together they cover the scope. Plain arithmetic, no
 * Node modules, so the split reads the same in every process.
 */

/** FNV-1a (32-bit) of the key's UTF-16 code units. */
export function seriesHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function shardOf(key: string, shards: number): number {
  return seriesHash(key) % shards;
}

/** Shards for `series` series of about `seriesPerShard` each: at least 1, at most `maxShards`. */
export function shardCount(series: number, seriesPerShard: number, maxShards: number): number {
  if (!Number.isInteger(seriesPerShard) || seriesPerShard < 1) throw new RangeError(`seriesPerShard must be a positive integer, got ${seriesPerShard}`);
  return Math.min(maxShards, Math.max(1, Math.ceil(series / seriesPerShard)));
}

/** The keys of one shard, in the order given. */
export function shardMembers(keys: readonly string[], shard: number, shards: number): string[] {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be a positive integer, got ${shards}`);
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards) throw new RangeError(`shard must be an integer from 0 to ${shards - 1}, got ${shard}`);
  return keys.filter((k) => shardOf(k, shards) === shard);
}
