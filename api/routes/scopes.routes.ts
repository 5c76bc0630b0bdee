import { Router } from 'express';
import { z } from 'zod';
import { formatZodIssues, scopeRulesSchema, type ScopeRules } from '../../contracts/scope-rules.js';
import type { Database } from '../../db/client.js';
import { modelsRepository } from '../../db/repositories/models.repository.js';
import { scopesRepository } from '../../db/repositories/scopes.repository.js';
import { errors } from '../errors.js';
import { ruleReferenceProblems } from '../rule-references.js';
import { scopeLookup } from '../scope-lookup.js';
import { pageRequest, toPage } from '../pagination.js';

/** A scopes page's cursor: the last scope's id. */
const scopeCursor = z.tuple([z.string().min(1).max(200)]).readonly();

/**
 * A scope's effective rules: the stored values with every default filled in. Stored rules that
 * no longer validate (written before a bound tightened, or by hand) are 409 scopes.invalid_rules
 * naming each problem, as POST /replans answers them, not a 500 that says nothing.
 */
export function effectiveRules(row: { id: string; rules: unknown }): ScopeRules {
  const parsed = scopeRulesSchema.safeParse(row.rules ?? {});
  if (!parsed.success) throw errors.conflict('scopes.invalid_rules', `scope ${row.id} has invalid stored rules; replace them with PUT /scopes/${row.id}/rules: ${formatZodIssues(parsed.error).join('; ')}`);
  return parsed.data;
}

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
    res.json({ scopeId: row.id, rules: effectiveRules(row) });
  });

  /** Replaces the rules; the next plan of the scope uses them. */
  router.put('/scopes/:group/:region/rules', async (req, res) => {
    const row = await scope(req.params.group, req.params.region);
    const parsed = scopeRulesSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw errors.validation(parsed.error, 'rules');
    const problems = await ruleReferenceProblems(scopes, row, parsed.data);
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
