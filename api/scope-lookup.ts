import { isValidScopeId, scopeIdProblem } from '../contracts/ids.js';
import type { scopesRepository } from '../db/repositories/scopes.repository.js';
import { errors } from './errors.js';

/**
 * The scope named by a route's `:group/:region`: 400 when the id is malformed, 404 when no such
 * scope exists, so every route answers a bad scope the same way.
 */
export function scopeLookup(scopes: ReturnType<typeof scopesRepository>) {
  return async function scope(group: string, region: string) {
    const id = `${group}/${region}`;
    if (!isValidScopeId(id)) throw errors.badRequest(scopeIdProblem(id));
    const row = await scopes.get(id);
    if (!row) throw errors.notFound('scopes.not_found', `scope ${id} does not exist`);
    return row;
  };
}
