import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { parseAudienceQuery } from './plan-audience.routes.js';
import { idempotencyKeyOf } from './runs.routes.js';

function refusal(f: () => unknown): ApiError {
  try {
    f();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('the audience query', () => {
  it('accepts a limit and a format', () => {
    expect(parseAudienceQuery({ limit: '20', format: 'csv' })).toEqual({ limit: 20, format: 'csv' });
    expect(parseAudienceQuery({})).toEqual({});
  });

  it('says what limit must be and what was sent, for text, zero, fractions, too many and a repeated parameter', () => {
    for (const [limit, shown] of [
      ['abc', '"abc"'],
      ['0', '"0"'],
      ['', '""'],
      ['2.5', '"2.5"'],
      ['501', '"501"'],
      [['1', '2'], '2 values ("1", "2"); give it once'],
    ] as const) {
      const err = refusal(() => parseAudienceQuery({ limit }));
      expect(err.status).toBe(400);
      expect(err.code).toBe('request.invalid');
      expect(err.message).toBe(`invalid audience query: limit must be a whole number from 1 to 500, got ${shown}`);
    }
  });

  it('names an unknown parameter as a query parameter (not the body) and the ones the route takes', () => {
    const err = refusal(() => parseAudienceQuery({ limt: '5' }));
    expect(err.message).toBe('invalid audience query: unknown query parameter limt (this route takes limit and format)');
    expect(err.details).toEqual(['unknown query parameter limt (this route takes limit and format)']);
  });

  it('lists every problem at once', () => {
    const err = refusal(() => parseAudienceQuery({ limit: 'x', format: 'xml' }));
    expect(err.message).toContain('limit must be a whole number from 1 to 500, got "x"');
    expect(err.message).toContain('format must be json or csv, got "xml"');
  });
});

describe('the replan Idempotency-Key', () => {
  it('is taken as sent when valid', () => {
    expect(idempotencyKeyOf('promo-618-2027')).toBe('promo-618-2027');
  });

  it('is required: a missing or blank header says so', () => {
    for (const header of [undefined, '', '  ']) expect(refusal(() => idempotencyKeyOf(header)).message).toMatch(/^Idempotency-Key header is required: /);
  });

  it('when malformed, says it was received and what is wrong with it, not that it is missing', () => {
    const err = refusal(() => idempotencyKeyOf('a b'));
    expect(err.status).toBe(400);
    expect(err.message).toBe('Idempotency-Key "a b" is not valid: Idempotency-Key must be 8–100 characters of letters, digits, ".", "_" or "-"');
    expect(refusal(() => idempotencyKeyOf('x'.repeat(300))).message.length).toBeLessThan(300);
  });
});
