import { Router, type Request, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { applyRuleOverrides, type RuleOverrides } from '../../contracts/rule-overrides.js';
import { scopeRulesSchema } from '../../contracts/scope-rules.js';
import type { Database } from '../../db/client.js';
import { calendarRepository } from '../../db/repositories/calendar.repository.js';
import { planInputsRepository } from '../../db/repositories/plan-inputs.repository.js';
import { plansRepository } from '../../db/repositories/plans.repository.js';
import { scopesRepository } from '../../db/repositories/scopes.repository.js';
import { dayNumber, isMonday } from '../../engine/calendar/index.js';
import { loadConfig } from '../../services/config.js';
import type { Logger } from '../../services/logger.js';
import { errors } from '../errors.js';
// The plan routes' id check: 400 for anything but decimal digits, 404 plans.not_found beyond the id range (docs/api.md).
import { planId } from '../routes/plans.routes.js';
import { scopeLookup } from '../scope-lookup.js';
import { bundlePage, type Asset } from './bundle.js';
import { planKpis } from './kpis.js';

/**
 * Where the page links a run in the Temporal Web UI: `LAUNCHLOOP_TEMPORAL_UI_URL`, else the
 * local dev server's UI on `LAUNCHLOOP_TEMPORAL_UI_PORT` (8233).
 */
export function temporalUiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.LAUNCHLOOP_TEMPORAL_UI_URL?.trim();
  if (explicit) return explicit.replace(/\/+$/, '');
  return `http://127.0.0.1:${loadConfig(env).temporalUiPort}`;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The page's one HTML document: no inline script or style, so a `'self'` CSP holds. */
function indexHtml(o: { temporalUi: string; namespace: string; oidcSignIn: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>launchloop · launch plans</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body data-temporal-ui="${escapeAttr(o.temporalUi)}" data-namespace="${escapeAttr(o.namespace)}"${o.oidcSignIn ? ' data-oidc="1"' : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="#/">launchloop</a><nav aria-label="Main" id="nav"></nav><div id="who" class="who"></div></header>
<main id="main" tabindex="-1"><p class="muted">Loading…</p><noscript><p>This page needs JavaScript. The same data is served as JSON by the API (see /docs).</p></noscript></main>
</body>
</html>
`;
}

const week = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date YYYY-MM-DD')
  .refine((v) => dayNumber(v) !== undefined && isMonday(v), { message: 'must be a Monday (weeks are named by their Monday)' });

export const promotionBody = z
  .object({
    name: z.string().trim().min(2).max(100),
    startWeek: week,
    endWeek: week,
    /** Fraction off the price, 0.2 = 20 %. */
    discount: z.number().min(0).max(0.9),
    /** Categories of the scope it covers; empty or absent: site-wide (every category of the region). */
    categories: z.array(z.string().min(1)).max(100).default([]),
  })
  .strict()
  .refine((p) => p.endWeek >= p.startWeek, { message: 'endWeek must not be before startWeek', path: ['endWeek'] });

/**
 * The merchandiser's page at `/` with its bundled assets under `/assets/`, and the few reads and
 * writes only the page needs: a scope's calendar (promotions and competitor launches), a plan's
 * KPIs, and adding a promotion before a replan.
 */
export function webRoutes({ database, client, logger, oidcSignIn = false }: { database: Database; client: Client; logger: Logger; oidcSignIn?: boolean }): Router {
  const router = Router();
  const scopes = scopesRepository(database);
  const calendar = calendarRepository(database);
  const plans = plansRepository(database);
  const inputs = planInputsRepository(database);

  const assets = bundlePage();
  // Logged at start, so a broken front end shows in the API log rather than only as a 500.
  assets.catch((err: unknown) => logger.error({ err }, 'bundling the page (web/) failed'));
  // With an identity provider configured, the sign-in screen offers it (api/auth/oidc.ts).
  const html = indexHtml({ temporalUi: temporalUiUrl(), namespace: client.options.namespace, oidcSignIn });

  router.get('/', (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(html);
  });

  router.get('/assets/:name', async (req: Request<{ name: string }>, res: Response) => {
    const asset: Asset | undefined = (await assets).get(req.params.name);
    if (!asset) throw errors.notFound('route.not_found', `no asset ${req.params.name}`);
    res.set('Cache-Control', 'no-cache').set('ETag', asset.etag);
    if (req.get('If-None-Match') === asset.etag) {
      res.status(304).end();
      return;
    }
    res.type(asset.type).send(asset.body);
  });

  const scope = scopeLookup(scopes);

  router.get('/scopes/:group/:region/calendar', async (req, res) => {
    const row = await scope(req.params.group, req.params.region);
    const [promotions, competitorLaunches] = await Promise.all([calendar.promotions(row), calendar.competitorLaunches(row)]);
    res.json({ scopeId: row.id, categories: row.categories, promotions, competitorLaunches });
  });

  /** A promotion of the scope's region, for its categories (or site-wide): the next plan reads it. */
  router.post('/scopes/:group/:region/promotions', async (req, res) => {
    const row = await scope(req.params.group, req.params.region);
    const body = promotionBody.safeParse(req.body ?? {});
    if (!body.success) throw errors.validation(body.error, 'promotion');
    const unknown = body.data.categories.filter((c) => !row.categories.includes(c));
    if (unknown.length) throw errors.badRequest(`categories outside ${row.id}: ${unknown.join(', ')} (scope has ${row.categories.join(', ')})`);
    const promotions = await calendar.addPromotion({
      name: body.data.name,
      region: row.region,
      categories: body.data.categories.length ? body.data.categories : [null],
      startWeek: body.data.startWeek,
      endWeek: body.data.endWeek,
      discount: body.data.discount,
    });
    res.status(201).json({ scopeId: row.id, promotions });
  });

  router.get('/plans/:id/kpis', async (req, res) => {
    const id = planId(req.params.id);
    const plan = await plans.get(id);
    if (!plan) throw errors.notFound('plans.not_found', `plan ${id} does not exist`);
    const [row, candidates] = await Promise.all([scopes.get(plan.scopeId), inputs.candidates(plan.scopeId)]);
    // The budget and capacity the plan was built with: a replan's overrides on top of the scope's rules.
    const stored = scopeRulesSchema.safeParse(row?.rules ?? {});
    const rules = stored.success && plan.ruleOverrides ? applyRuleOverrides(stored.data, plan.ruleOverrides as RuleOverrides) : stored;
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const kpis = planKpis({
      items: plan.items.map((i) => ({ ...i, category: byId.get(i.candidateId)?.category ?? null })),
      unitCost: new Map(candidates.map((c) => [c.id, c.unitCost])),
      objective: (plan.summary as { objective?: Parameters<typeof planKpis>[0]['objective'] }).objective,
      plannedReorderSpend: (plan.summary as { plannedReorderSpend?: Parameters<typeof planKpis>[0]['plannedReorderSpend'] }).plannedReorderSpend,
      rules: rules.success ? rules.data : { maxLaunchesPerWeek: 3 },
    });
    res.json({ planId: id, scopeId: plan.scopeId, ...kpis });
  });

  return router;
}
