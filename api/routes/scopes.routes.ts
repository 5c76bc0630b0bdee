import { Router } from 'express';
import { z } from 'zod';
import { scopeRulesSchema } from '../../contracts/scope-rules.js';
import type { Database } from '../../db/client.js';
import { modelsRepository } from '../../db/repositories/models.repository.js';
import { scopesRepository } from '../../db/repositories/scopes.repository.js';
import { errors } from '../errors.js';
import { scopeLookup } from '../scope-lookup.js';
import { pageRequest, toPage } from '../pagination.js';

/** A scopes page's cursor: the last scope's id. */
const scopeCursor = z.tuple([z.string().min(1).max(200)]).readonly();

export function scopesRoutes({ database }: { database: Database }): Router {
  const router = Router();
  const models = modelsRepository(database);
  const scopes = scopesRepository(database);

  const scope = scopeLookup(scopes);

  /** Scopes by id, a page at a time (api/pagination.ts). */
  router.get('/scopes', async (req, res) => {
    const { limit, after } = pageRequest(req.query, scopeCursor);
    const rows = await scopes.list({ limit: limit + 1, after: after?.[0] });
    res.json(toPage(rows, limit, (s) => [s.id] as const));
  });

  /** Effective rules: stored values with every default filled in. */
  router.get('/scopes/:group/:region/rules', async (req, res) => {
    const row = await scope(req.params.group, req.params.region);
    res.json({ scopeId: row.id, rules: scopeRulesSchema.parse(row.rules ?? {}) });
  });

  /** Replaces the rules; the next plan of the scope uses them. */
  router.put('/scopes/:group/:region/rules', async (req, res) => {
    const row = await scope(req.params.group, req.params.region);
    const parsed = scopeRulesSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw errors.validation(parsed.error, 'rules');
    const known = new Set(row.categories);
    const unknown = parsed.data.cadence.filter((c) => !known.has(c.category)).map((c) => c.category);
    if (unknown.length) throw errors.badRequest(`cadence names categories outside ${row.id}: ${unknown.join(', ')} (scope has ${row.categories.join(', ')})`);
    // A ride naming a promotion or candidate that is not there would be stored and silently ignored.
    const rides = parsed.data.promotionRides;
    const missing = await scopes.unknownReferences(row.id, { promotions: rides.map((r) => r.promotion), candidateIds: rides.flatMap((r) => r.candidateIds) });
    const problems = [
      ...(missing.promotions.length ? [`promotionRides names promotions ${row.id}'s region (${row.region}) does not have: ${missing.promotions.join(', ')}`] : []),
      ...(missing.candidateIds.length ? [`promotionRides names candidates that are not in ${row.id}: ${missing.candidateIds.join(', ')}`] : []),
    ];
    if (problems.length) throw errors.badRequest(problems.join('; '));
    await scopes.setRules(row.id, req.body);
    res.json({ scopeId: row.id, rules: parsed.data });
  });

  router.get('/scopes/:group/:region/models', async (req, res) => {
    const row = await scope(req.params.group, req.params.region);
    res.json({ scopeId: row.id, models: await models.list(row.id) });
  });

  return router;
}
