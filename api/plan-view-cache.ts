import { createHash } from 'node:crypto';
import type { PlanView } from '../db/repositories/plans.repository.js';

/** A plan's answer, serialised once: the page and the CLI read the same plan over and over. */
export interface CachedPlan {
  body: Buffer;
  etag: string;
  scopeId: string;
  status: PlanView['status'];
  loadedAt: number;
}

/**
 * Statuses a plan never leaves (decisions go draft → published → superseded, draft → rejected):
 * their answer cannot change, so it is kept until evicted.
 */
const FINAL = new Set<PlanView['status']>(['rejected', 'superseded']);

export interface PlanViewCacheOptions {
  /**
   * How long a draft's or a published plan's answer is served without reading it again. Their
   * status changes on a decision: one made through this process drops the entry at once (the
   * plan routes call `invalidateScope`), this bounds how long one made elsewhere (another API
   * process, a workflow) goes unseen.
   */
  freshMs: number;
  /** Plans kept (least recently read dropped first); a 1,000-item plan is ~0.5 MB. */
  maxEntries: number;
  now?: () => number;
}

export const PLAN_VIEW_CACHE: PlanViewCacheOptions = { freshMs: 1_000, maxEntries: 128 };

/**
 * GET /plans/{id} at 100 concurrent clients was bound by building the same answer (a JSON
 * aggregate over the plan's items and their launch curves, then parse and stringify) for every
 * request. This keeps each plan's serialised answer and its ETag; concurrent misses of one plan
 * share one read.
 */
export function planViewCache(load: (id: number) => Promise<PlanView | undefined>, options: PlanViewCacheOptions = PLAN_VIEW_CACHE) {
  const now = options.now ?? Date.now;
  const entries = new Map<number, CachedPlan>();
  const loading = new Map<number, Promise<CachedPlan | undefined>>();
  // Bumped by every invalidation: a read that started before it must not store what it read.
  let generation = 0;

  function build(view: PlanView): CachedPlan {
    const body = Buffer.from(JSON.stringify(view));
    return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, scopeId: view.scopeId, status: view.status, loadedAt: now() };
  }

  function remember(id: number, entry: CachedPlan): CachedPlan {
    entries.delete(id);
    entries.set(id, entry);
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    return entry;
  }

  /** The plan's answer while it is in memory and fresh. */
  function fresh(id: number): CachedPlan | undefined {
    const hit = entries.get(id);
    if (!hit || !(FINAL.has(hit.status) || now() - hit.loadedAt < options.freshMs)) return undefined;
    // Map order is the eviction order: a read moves the plan to the back.
    entries.delete(id);
    entries.set(id, hit);
    return hit;
  }

  return {
    /** The plan's answer when `get` would give it without a read (api/fast-lane.ts); undefined otherwise. */
    peek: fresh,

    /** The plan's answer, from memory while fresh; undefined when the plan does not exist (never cached). */
    async get(id: number): Promise<CachedPlan | undefined> {
      const hit = fresh(id);
      if (hit) return hit;
      const pending = loading.get(id);
      if (pending) return pending;
      const started = generation;
      const read = load(id)
        .then((view) => {
          if (!view) return undefined;
          // Answer the requests that waited for this read, but keep it only if no decision came in meanwhile.
          return started === generation ? remember(id, build(view)) : build(view);
        })
        .finally(() => {
          if (loading.get(id) === read) loading.delete(id);
        });
      loading.set(id, read);
      return read;
    },

    /** Drops every plan of the scope: a publish supersedes the scope's previous published plan. */
    invalidateScope(scopeId: string): void {
      generation++;
      for (const [id, entry] of entries) if (entry.scopeId === scopeId) entries.delete(id);
      // Reads in flight may have started before the decision: later requests read again.
      loading.clear();
    },
  };
}

export type PlanViewCache = ReturnType<typeof planViewCache>;
