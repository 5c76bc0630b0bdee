import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { audiencesRepository, type ItemAudience } from '../../db/repositories/audiences.repository.js';
import { errors } from '../errors.js';
import { planItemParams } from './plans.routes.js';

/** The most customers one answer lists: the audience activity stores 500 per candidate. */
export const AUDIENCE_LIMIT = { default: 100, max: 500 } as const;

export const audienceQuery = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(AUDIENCE_LIMIT.max)
      .optional()
      .describe(`customers listed, best first: 1–${AUDIENCE_LIMIT.max}; default ${AUDIENCE_LIMIT.default} for JSON, every stored customer for CSV`),
    format: z.enum(['json', 'csv']).optional().describe('csv: the same as Accept: text/csv'),
  })
  .strict();

const share = z.object({ key: z.string(), share: z.number().describe('share of the expected units, 0..1; a breakdown sums to 1') });

export const itemAudienceResponse = z.object({
  planId: z.number().int(),
  candidateId: z.string(),
  forecastSetId: z.number().int().describe('the plan’s forecast set, with which the audience was scored'),
  size: z.number().int().describe('customers stored for the item (its ranked audience); `customers` lists the first `limit`'),
  expectedBuyers: z.number().describe('expected buyers among existing customers in the first 13 weeks (sum of purchase probabilities)'),
  byRegion: z.array(share).describe('expected demand share per customer region (country), largest first'),
  bySegment: z.array(share).describe('expected demand share per customer segment (recency/frequency/value classes), largest first'),
  customers: z.array(z.object({ rank: z.number().int().describe('1 = most likely to buy'), customerId: z.string(), score: z.number().describe('higher = more likely (a logit)'), region: z.string() })),
});

/**
 * The audience query, or a 400 that says what is wrong with which parameter: zod's own words for a
 * query (`received NaN` for `?limit=abc` or a repeated `limit`, `(body)` for an unknown
 * parameter) sent callers looking in the wrong place.
 */
export function parseAudienceQuery(query: Record<string, unknown>): z.infer<typeof audienceQuery> {
  const parsed = audienceQuery.safeParse(query);
  if (parsed.success) return parsed.data;
  const shown = (v: unknown) => (Array.isArray(v) ? `${v.length} values (${v.map((x) => JSON.stringify(x)).join(', ')}); give it once` : JSON.stringify(v));
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown query parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (this route takes limit and format)`;
    const name = String(issue.path[0]);
    if (name === 'limit') return `limit must be a whole number from 1 to ${AUDIENCE_LIMIT.max}, got ${shown(query.limit)}`;
    if (name === 'format') return `format must be json or csv, got ${shown(query.format)}`;
    return `${name}: ${issue.message}`;
  });
  throw errors.badRequest(`invalid audience query: ${problems.join('; ')}`, problems);
}

/** `customer_id,score,rank,region`, best first: what a campaign tool imports as an audience list. */
export function audienceCsv(a: ItemAudience): string {
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['customer_id,score,rank,region'];
  for (const c of a.customers) lines.push(`${cell(c.customerId)},${c.score.toFixed(6)},${c.rank},${cell(c.region)}`);
  return lines.join('\n') + '\n';
}

/** CSV when asked by `?format=csv`, or by an Accept header that prefers text/csv to JSON. */
function wantsCsv(req: Request, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/**
 * A plan item's launch audience, scored with the plan's forecast set (activities/audience.activities.ts):
 * its ranked customers with score and region, and its demand shares per region and segment; as
 * CSV for a campaign tool. 404 when the plan, the item or its audience (a scope without customer
 * orders) is missing.
 */
export function planAudienceRoutes({ database }: { database: Database }): Router {
  const router = Router();
  const audiences = audiencesRepository(database);

  router.get('/plans/:id/items/:candidateId/audience', async (req, res) => {
    const { id, candidateId } = planItemParams(req.params);
    const query = parseAudienceQuery(req.query);
    const csv = wantsCsv(req, query.format);
    const limit = query.limit ?? (csv ? AUDIENCE_LIMIT.max : AUDIENCE_LIMIT.default);
    const found = await audiences.planItemAudience(id, candidateId, limit);
    if (!found.plan) throw errors.notFound('plans.not_found', `plan ${id} does not exist`);
    if (!found.item) throw errors.notFound('plans.item_not_found', `plan ${id} has no item for candidate ${candidateId}`);
    if (!found.audience)
      throw errors.notFound(
        'audiences.not_found',
        `plan ${id} has no audience for ${candidateId}: its scope had no customer orders when the plan's forecast was made (import them with launchloop import --customer-orders; the next forecast scores audiences)`,
      );
    res.vary('Accept');
    if (!csv) return void res.json(found.audience);
    const name = `audience-plan-${id}-${candidateId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
    res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${name}"`).send(audienceCsv(found.audience));
  });

  return router;
}
