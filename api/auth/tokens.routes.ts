import { Router } from 'express';
import { z } from 'zod';
import type { TokensRepository } from '../../db/repositories/tokens.repository.js';
import { errors } from '../errors.js';
import { principalOf } from './middleware.js';
import { createToken, scopePatternProblem, TOKEN_ROLES } from './tokens.js';

export const createTokenBody = z
  .object({
    name: z.string().trim().min(1, 'must name who or what the token is for').max(100),
    role: z.enum(TOKEN_ROLES),
    scopes: z
      .array(z.string().superRefine((v, ctx) => {
        const problem = scopePatternProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }))
      .max(100)
      .optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

/** Who is signed in (any role), and token management (admin): list, create (the secret is in this answer only), revoke. */
export function tokensRoutes({ tokens }: { tokens: TokensRepository }): Router {
  const router = Router();

  /** The page decides which actions to offer from this; the API still checks each call. */
  router.get('/auth/me', (_req, res) => {
    res.json(principalOf(res));
  });

  router.get('/tokens', async (_req, res) => {
    res.json({ tokens: await tokens.list() });
  });

  router.post('/tokens', async (req, res) => {
    const body = createTokenBody.safeParse(req.body ?? {});
    if (!body.success) throw errors.validation(body.error, 'token');
    const created = await createToken(tokens, { ...body.data, createdBy: principalOf(res).name });
    res.status(201).json(created);
  });

  router.delete('/tokens/:id', async (req, res) => {
    if (!/^[1-9][0-9]{0,9}$/.test(req.params.id) || Number(req.params.id) > 2_147_483_647) throw errors.badRequest(`token id must be a positive integer, got "${req.params.id}"`);
    const revoked = await tokens.revoke(Number(req.params.id));
    if (!revoked) throw errors.notFound('tokens.not_found', `token ${req.params.id} does not exist`);
    res.status(204).end();
  });

  return router;
}
