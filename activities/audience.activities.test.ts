import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import type { StoredAudience } from '../db/repositories/audiences.repository.js';
import { buildAudiences, type AudienceCandidate, type AudienceItem, type OrderRow } from '../engine/audience/index.js';
import { addWeeks } from '../engine/calendar/index.js';
import { AUDIENCE_TOP, createAudienceActivities, type AudienceActivityDeps } from './audience.activities.js';
import type { AudienceStageResult } from './types.js';

/** MockActivityEnvironment.run loses the activity's result type. */
const run = (deps: AudienceActivityDeps, forecastSetId: number) =>
  new MockActivityEnvironment().run(createAudienceActivities(deps).scoreLaunchAudiences, { forecastSetId }) as Promise<AudienceStageResult>;

// scoreLaunchAudiences on MockActivityEnvironment with in-memory repositories and the real engine: no Postgres.

const SCOPE = { setId: 7, scopeId: 'giftware/uk', categories: ['MUG', 'BAG'] };

/** 40 customers over 30 weeks: even ones buy mugs, odd ones bags; a few buy both. */
function shop(): { orders: OrderRow[]; items: AudienceItem[] } {
  const items: AudienceItem[] = [];
  for (let k = 0; k < 12; k++) items.push({ itemId: `${1000 + k}`, category: k % 2 === 0 ? 'MUG' : 'BAG', keyword: k % 4 < 2 ? 'RED' : 'BLUE', prefix: '100', price: 2 + k / 4 });
  const orders: OrderRow[] = [];
  for (let c = 0; c < 40; c++)
    for (let w = c % 3; w < 30; w += 3) {
      const k = ((c % 2) + 2 * ((w + c) % 6)) % 12;
      orders.push({ customerId: `C${c}`, country: c < 30 ? 'United Kingdom' : 'France', itemId: items[k].itemId, week: addWeeks('2024-01-01', w), units: 1 + (c % 4) });
    }
  return { orders, items };
}

function fakes(o: { orders: boolean; candidates?: AudienceCandidate[] }) {
  const stored: Array<{ setId: number; audiences: readonly StoredAudience[] }> = [];
  const summaries: Array<Record<string, unknown>> = [];
  const history = shop();
  const deps: AudienceActivityDeps = {
    audiences: {
      scopeOfSet: async (id) => (id === SCOPE.setId ? SCOPE : undefined),
      hasOrders: async () => o.orders,
      histories: async () => history,
      candidates: async () =>
        o.candidates ?? [
          { itemId: 'NEW-MUG', category: 'MUG', keyword: 'RED', prefix: '100', price: 2.5, launchWeek: '2024-08-05' },
          { itemId: 'NEW-BAG', category: 'BAG', keyword: 'BLUE', prefix: '100', price: 4, launchWeek: '2024-08-05' },
        ],
      store: async (setId, audiences) => {
        stored.push({ setId, audiences });
        return { candidates: audiences.length, members: audiences.reduce((n, a) => n + a.members.length, 0) };
      },
    },
    forecasts: { summarise: async (_id, s) => void summaries.push(s) },
    score: async (input) => buildAudiences(input),
  };
  return { deps, stored, summaries };
}

describe('scoreLaunchAudiences', () => {
  it('skips a scope without customer orders with a summary that says why and how to fix it', async () => {
    const { deps, stored, summaries } = fakes({ orders: false });
    const r = await run(deps, 7);
    expect(r).toMatchObject({ skipped: true, candidates: 0 });
    expect(r.summary).toMatch(/no customer orders for giftware\/uk.*--customer-orders/);
    expect(stored).toEqual([]);
    expect(summaries).toEqual([{ audiences: r }]);
  });

  it('scores every candidate and stores its ranked customers and demand shares with the set', async () => {
    const { deps, stored } = fakes({ orders: true });
    const r = await run(deps, 7);
    expect(r).toMatchObject({ skipped: false, candidates: 2, customers: 40 });
    expect(r.summary).toMatch(/^audiences: 2 candidates scored against 40 customers/);
    expect(stored).toHaveLength(1);
    const [{ setId, audiences }] = stored;
    expect(setId).toBe(7);
    expect(audiences.map((a) => a.candidateId).sort()).toEqual(['NEW-BAG', 'NEW-MUG']);
    for (const a of audiences) {
      // 40 customers < AUDIENCE_TOP: all of them, best first.
      expect(a.members).toHaveLength(Math.min(40, AUDIENCE_TOP));
      for (let i = 1; i < a.members.length; i++) expect(a.members[i - 1].score).toBeGreaterThanOrEqual(a.members[i].score);
      expect(a.byRegion.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 6);
      expect(a.byRegion.map((x) => x.key).sort()).toEqual(['France', 'United Kingdom']);
      expect(a.bySegment.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 6);
      expect(a.expectedBuyers).toBeGreaterThan(0);
    }
    // Mug buyers (even customers) rank higher for the new mug than bag buyers, on average.
    const mug = audiences.find((a) => a.candidateId === 'NEW-MUG')!;
    const meanRank = (even: boolean) => {
      const ranks = mug.members.flatMap((m, i) => (Number(m.customerId.slice(1)) % 2 === 0) === even ? [i] : []);
      return ranks.reduce((s, x) => s + x, 0) / ranks.length;
    };
    expect(meanRank(true)).toBeLessThan(meanRank(false));
  });

  it('skips a scope with orders but no candidates', async () => {
    const { deps, stored } = fakes({ orders: true, candidates: [] });
    const r = await run(deps, 7);
    expect(r).toMatchObject({ skipped: true, summary: 'audiences skipped: giftware/uk has no candidates' });
    expect(stored).toEqual([]);
  });

  it('fails non-retryably for an unknown forecast set', async () => {
    const { deps } = fakes({ orders: true });
    await expect(run(deps, 99)).rejects.toMatchObject({
      type: 'NotFound',
      nonRetryable: true,
    });
  });
});
