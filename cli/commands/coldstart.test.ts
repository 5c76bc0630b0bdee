import { describe, expect, it } from 'vitest';
import { UsageError } from '../args.js';
import { attributeKinds } from './coldstart.js';

describe('coldstart --categorical / --numeric', () => {
  it('maps comma-separated columns to forced kinds', () => {
    expect(attributeKinds('prefix, store', 'size')).toEqual({ prefix: 'categorical', store: 'categorical', size: 'numeric' });
    expect(attributeKinds(undefined, undefined)).toEqual({});
  });

  it('rejects an empty name and a column given both kinds', () => {
    expect(() => attributeKinds('prefix,', undefined)).toThrow(UsageError);
    expect(() => attributeKinds('prefix', 'prefix')).toThrow(/both --categorical and --numeric/);
  });
});
