import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../cli/args.js';
import { checkReplanTarget } from '../cli/commands/replan.js';
import type { Database } from '../db/client.js';
import { freePort } from '../services/ports.js';
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

describe('launchloop replan with an unreachable database', () => {
  it('says which database it could not check the scope against, without its password', async () => {
    const port = await freePort();
    const check = checkReplanTarget(`postgres://app:secret@127.0.0.1:${port}/launchloop`, 'electronics/east', undefined);
    await expect(check).rejects.toThrow(`could not check scope electronics/east against the database at 127.0.0.1:${port}/launchloop`);
    await expect(check).rejects.not.toThrow('secret');
  });
});
