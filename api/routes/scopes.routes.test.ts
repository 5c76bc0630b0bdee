import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { effectiveRules } from './scopes.routes.js';

describe('effectiveRules (GET /scopes/:group/:region/rules)', () => {
  it('fills the defaults into the stored rules', () => {
    const rules = effectiveRules({ id: 'electronics/east', rules: { maxLaunchesPerWeek: 3 } });
    expect(rules.maxLaunchesPerWeek).toBe(3);
    expect(rules.minGapSimilarWeeks).toBeTypeOf('number');
    expect(effectiveRules({ id: 'electronics/east', rules: null })).toEqual(effectiveRules({ id: 'electronics/east', rules: {} }));
  });

  it('answers stored rules that no longer validate with 409 scopes.invalid_rules naming the field, not a 500', () => {
    let err: unknown;
    try {
      effectiveRules({ id: 'electronics/east', rules: { maxLaunchesPerWeek: -1 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    const api = err as ApiError;
    expect(api.status).toBe(409);
    expect(api.code).toBe('scopes.invalid_rules');
    expect(api.message).toMatch(/^scope electronics\/east has invalid stored rules; replace them with PUT \/scopes\/electronics\/east\/rules: maxLaunchesPerWeek/);
  });
});
