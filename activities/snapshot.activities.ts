import type { Database } from '../db/client.js';
import { scopeDataRepository } from '../db/repositories/scope-data.repository.js';
import { scopesRepository } from '../db/repositories/scopes.repository.js';
import { snapshotsRepository } from '../db/repositories/snapshots.repository.js';
import { failures } from './errors.js';
import type { CpuActivities } from './types.js';

/**
 * Validates and fingerprints a scope's data before anything is trained or planned on it.
 * Bad data fails here, once, non-retryably, with a message that names what to fix.
 */
export function createSnapshotActivities(database: Database): Pick<CpuActivities, 'snapshotScope'> {
  const repo = scopeDataRepository(database);
  const scopes = scopesRepository(database);
  const snapshots = snapshotsRepository(database);
  return {
    async snapshotScope({ scopeId }) {
      const scope = await scopes.get(scopeId);
      if (!scope) throw failures.notFound(`scope "${scopeId}" does not exist; create it with \`launchloop seed\` or \`launchloop import\``);
      const issues = await repo.findIssues(scope);
      if (issues.length > 0) {
        const text = issues.map((i) => `${i.table}: ${i.problem} in ${i.count} row(s), e.g. ${i.examples.join('; ')}`).join(' | ');
        throw failures.invalidData(`scope ${scopeId} has invalid data: ${text}`, issues);
      }
      const counts = await repo.counts(scope);
      if (!counts.salesThrough || counts.series === 0)
        throw failures.invalidData(`scope ${scopeId} has no sales history in region ${scope.region} for categories ${scope.categories.join(', ')}`);
      if (counts.candidates === 0) throw failures.invalidData(`scope ${scopeId} has no candidate products to plan`);
      // A candidate that has started selling is launched: replans keep it fixed from now on.
      await repo.markLaunchedCandidates(scope);
      const snap = await snapshots.create(scopeId);
      return { snapshotId: snap.id, salesThrough: counts.salesThrough, series: counts.series, candidates: counts.candidates };
    },
  };
}
