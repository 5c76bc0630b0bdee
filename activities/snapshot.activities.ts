import type { Database } from '../db/client.js';
import { scopeDataRepository } from '../db/repositories/scope-data.repository.js';
import { snapshotDataset } from '../data/load.js';
import { failures } from './errors.js';
import type { CpuActivities } from './types.js';

/**
 * Validates and fingerprints a scope's data before anything is trained or planned on it.
 * Bad data fails here, once, non-retryably, with a message that names what to fix.
 */
export function createSnapshotActivities(database: Database): Pick<CpuActivities, 'snapshotScope'> {
  const repo = scopeDataRepository(database);
  return {
    async snapshotScope({ scopeId }) {
      const scope = await repo.scope(scopeId);
      if (!scope) throw failures.notFound(`scope "${scopeId}" does not exist; create it with \`launchloop seed\` or \`launchloop import\``);
      const issues = await repo.findIssues(scope);
      if (issues.length > 0) {
        const text = issues.map((i) => `${i.table}: ${i.problem} in ${i.count} row(s), e.g. ${i.examples.join('; ')}`).join(' | ');
        throw failures.invalidData(`scope ${scopeId} has invalid data: ${text}`, issues);
      }
      const counts = await repo.counts(scope);
      if (!counts.sales_through || counts.series === 0)
        throw failures.invalidData(`scope ${scopeId} has no sales history in region ${scope.region} for categories ${scope.categories.join(', ')}`);
      if (counts.candidates === 0) throw failures.invalidData(`scope ${scopeId} has no candidate products to plan`);
      // A candidate that has started selling is launched: replans keep it fixed from now on.
      await database.sql`
        update candidates c set launched_week = f.first_week,
               committed_qty = coalesce(c.committed_qty, (select i.opening_qty from plan_items i join plans p on p.id = i.plan_id
                                 where i.candidate_id = c.id and p.status in ('published', 'superseded') order by p.version desc limit 1))
          from (select sku, min(week) as first_week from sales where region = ${scope.region} group by sku) f
         where c.scope_id = ${scopeId} and c.launched_week is null and f.sku = c.id`;
      const snap = await snapshotDataset(database, scopeId);
      return { snapshotId: snap.id, salesThrough: counts.sales_through, series: counts.series, candidates: counts.candidates };
    },
  };
}
