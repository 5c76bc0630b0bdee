import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../cli/args.js';
import { checkReplanTarget } from '../cli/commands/replan.js';
import type { Database } from '../db/client.js';
import { freshDatabase, seedSmall } from './helpers.js';

// `launchloop replan` asks the database what the API refuses up front, so an unknown scope or a
// category outside it is a usage error instead of a workflow reported "started" that fails later.
describe('launchloop replan checks its scope and overrides against the database', () => {
  let database: Database & { url: string };
  beforeAll(async () => {
    database = await freshDatabase();
    await seedSmall(database);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  it('accepts a known scope, with and without overrides naming its own categories', async () => {
    await expect(checkReplanTarget(database.url, 'electronics/east', undefined)).resolves.toBeUndefined();
    await expect(checkReplanTarget(database.url, 'electronics/east', { cadence: [{ category: 'phones', maxLaunches: 1, windowWeeks: 3 }] })).resolves.toBeUndefined();
  });

  it('refuses an unknown scope and categories outside the scope, naming them', async () => {
    const unknown = checkReplanTarget(database.url, 'garden/east', undefined);
    await expect(unknown).rejects.toBeInstanceOf(UsageError);
    await expect(unknown).rejects.toThrow('scope garden/east does not exist');
    const outside = checkReplanTarget(database.url, 'electronics/east', { cadence: [{ category: 'sofas', maxLaunches: 1, windowWeeks: 3 }] });
    await expect(outside).rejects.toThrow(/ruleOverrides\.cadence names categories outside electronics\/east: sofas/);
  });
});
