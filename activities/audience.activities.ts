import { Context } from '@temporalio/activity';
import type { Database } from '../db/client.js';
import { audiencesRepository } from '../db/repositories/audiences.repository.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import type { AudienceInput, AudienceResult } from '../engine/audience/index.js';
import type { ThreadPool } from '../services/thread-pool.js';
import { failures } from './errors.js';
import type { AudienceStageResult, CpuActivities, RepositoryPort } from './types.js';

/**
 * Customers stored per candidate: the ranked list a campaign tool exports. The API serves any
 * prefix of it (`?limit=`); every customer still counts in the candidate's expected buyers and
 * demand shares.
 */
export const AUDIENCE_TOP = 500;

/** What the audience activity reads and writes; tests pass fakes, the CPU worker the real ones. */
export interface AudienceActivityDeps {
  audiences: RepositoryPort<ReturnType<typeof audiencesRepository>, 'scopeOfSet' | 'hasOrders' | 'histories' | 'candidates' | 'store'>;
  forecasts: RepositoryPort<ReturnType<typeof forecastsRepository>, 'summarise'>;
  /** The engine's `buildAudiences`, off the activity's event loop so heartbeats keep going. */
  score(input: AudienceInput): Promise<AudienceResult>;
}

export function audienceActivityDeps(database: Database, pool: ThreadPool): AudienceActivityDeps {
  return { audiences: audiencesRepository(database), forecasts: forecastsRepository(database), score: (input) => pool.run('buildAudiences', input) };
}

/**
 * After the forecast: each candidate of the scope scored against the purchase histories of the
 * scope's categories (engine/audience: a model fitted on the launches inside those histories),
 * its best AUDIENCE_TOP customers and its demand shares per region and segment stored with the
 * forecast set. A scope without customer orders (the synthetic marketplace, most shops) is
 * skipped with a summary saying so. A retry replaces the set's audiences whole.
 */
export function createAudienceActivities({ audiences, forecasts, score }: AudienceActivityDeps): Pick<CpuActivities, 'scoreLaunchAudiences'> {
  return {
    async scoreLaunchAudiences({ forecastSetId }) {
      const ctx = Context.current();
      const scope = await audiences.scopeOfSet(forecastSetId);
      if (!scope) throw failures.notFound(`forecast set ${forecastSetId} does not exist`);
      const done = async (r: AudienceStageResult) => {
        await forecasts.summarise(forecastSetId, { audiences: r });
        ctx.log.info(r.summary, { forecastSetId, scopeId: scope.scopeId });
        return r;
      };
      if (!(await audiences.hasOrders(scope.categories)))
        return done({
          skipped: true,
          candidates: 0,
          customers: 0,
          orders: 0,
          summary: `audiences skipped: no customer orders for ${scope.scopeId}'s categories (import them with \`launchloop import --customer-orders\`)`,
        });
      const [history, candidates] = await Promise.all([audiences.histories(scope.categories), audiences.candidates(scope.scopeId)]);
      if (candidates.length === 0)
        return done({ skipped: true, candidates: 0, customers: 0, orders: history.orders.length, summary: `audiences skipped: ${scope.scopeId} has no candidates` });
      ctx.heartbeat({ stage: 'scoring', candidates: candidates.length, orders: history.orders.length });
      const beat = setInterval(() => ctx.heartbeat({ stage: 'scoring', candidates: candidates.length, orders: history.orders.length }), 5_000);
      const result = await score({ ...history, candidates, top: AUDIENCE_TOP }).finally(() => clearInterval(beat));
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      const stored = await audiences.store(
        forecastSetId,
        result.audiences.map((a) => ({ candidateId: a.itemId, expectedBuyers: a.expectedBuyers, byRegion: a.byRegion, bySegment: a.bySegment, members: a.audience })),
      );
      const model = result.model.trained ? `model fitted on ${result.model.queries} launches inside the histories` : 'no launch in the histories to learn from: category affinity × activity';
      return done({
        skipped: false,
        candidates: stored.candidates,
        customers: result.segments.length,
        orders: history.orders.length,
        summary: `audiences: ${stored.candidates} candidates scored against ${result.segments.length} customers (${history.orders.length} weekly orders), ${stored.members} ranked customers stored; ${model}`,
      });
    },
  };
}
