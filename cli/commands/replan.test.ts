import { describe, expect, it } from 'vitest';
import { UsageError } from '../args.js';
import { help, parseOverrides, run } from './replan.js';

describe('launchloop replan --override', () => {
  it('reads JSON values, bare words as strings, RULE.FIELD into an object rule, on top of --overrides-json', () => {
    expect(parseOverrides(undefined, [])).toBeUndefined();
    expect(parseOverrides('{}', [])).toBeUndefined();
    expect(
      parseOverrides('{"maxLaunchesPerWeek":4,"monthlyBudget":1}', [
        'monthlyBudget=120000',
        'replenishment.opening=lead-time-and-review',
        'replenishment.serviceLevel=0.9',
        'cadence=[{"category":"phones","maxLaunches":1,"windowWeeks":3}]',
      ]),
    ).toEqual({
      maxLaunchesPerWeek: 4,
      monthlyBudget: 120_000,
      replenishment: { opening: 'lead-time-and-review', serviceLevel: 0.9 },
      cadence: [{ category: 'phones', maxLaunches: 1, windowWeeks: 3 }],
    });
  });

  it('refuses bad values, non-overridable rules and malformed flags as usage errors naming the rule', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error('expected a UsageError');
    };
    expect(message(() => parseOverrides(undefined, ['monthlyBudget=-1']))).toContain('ruleOverrides.monthlyBudget');
    expect(message(() => parseOverrides(undefined, ['monthlyBudget=lots']))).toContain('ruleOverrides.monthlyBudget');
    expect(message(() => parseOverrides(undefined, ['coldStart.epochs=10000']))).toContain('coldStart cannot be overridden for one replan');
    expect(message(() => parseOverrides(undefined, ['monthlyBudget']))).toContain('RULE=VALUE');
    expect(message(() => parseOverrides(undefined, ['a.b.c=1']))).toContain('only RULE or RULE.FIELD');
    expect(message(() => parseOverrides('[1]', []))).toContain('--overrides-json must be a JSON object');
  });

  it('says in --help what it records as the requester, and refuses bad overrides before connecting to Temporal', async () => {
    expect(help).toContain('cli:<your OS user name>');
    expect(help).toContain('--override RULE=VALUE');
    await expect(run(['--scope', 'electronics/east', '--reason', 'promo', '--override', 'solver.timeLimitSeconds=-3'])).rejects.toThrow(/ruleOverrides\.solver\.timeLimitSeconds/);
  });
});
