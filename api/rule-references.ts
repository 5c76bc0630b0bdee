import { applyRuleOverrides, type RuleOverrides } from '../contracts/rule-overrides.js';
import { formatZodIssues, scopeRulesSchema, type ScopeRules } from '../contracts/scope-rules.js';
import type { scopesRepository } from '../db/repositories/scopes.repository.js';

/**
 * What rules name that the scope does not have: cadence categories outside it, promotion rides of
 * promotions its region lacks or of candidates not in it. Such a rule would be stored and silently
 * ignored, so `PUT rules` and a replan's `ruleOverrides` refuse it with the names (`prefix` says
 * where in the request the rules sit: '' for the rules body, 'ruleOverrides.' for a replan).
 */
/** Names listed in one message; a 700-category shop's full list would bury the problem. */
const LISTED = 12;

/** `a, b, c` or `a, b, … and 753 more`. */
export function nameList(names: readonly string[], max = LISTED): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … and ${names.length - max} more`;
}

function scopeCategories(categories: readonly string[]): string {
  if (categories.length <= LISTED) return `scope has ${categories.join(', ')}`;
  return `the scope has ${categories.length} categories: ${nameList(categories)}; GET /scopes lists them all`;
}

export async function ruleReferenceProblems(
  scopes: Pick<ReturnType<typeof scopesRepository>, 'unknownReferences'>,
  row: { id: string; region: string; categories: string[] },
  rules: Partial<Pick<ScopeRules, 'cadence' | 'promotionRides'>>,
  prefix = '',
): Promise<string[]> {
  const known = new Set(row.categories);
  const unknown = [...new Set((rules.cadence ?? []).map((c) => c.category).filter((c) => !known.has(c)))];
  const rides = rules.promotionRides ?? [];
  const missing = rides.length
    ? await scopes.unknownReferences(row.id, { promotions: rides.map((r) => r.promotion), candidateIds: rides.flatMap((r) => r.candidateIds) })
    : { promotions: [], candidateIds: [] };
  return [
    ...(unknown.length ? [`${prefix}cadence names categories outside ${row.id}: ${nameList(unknown)} (${scopeCategories(row.categories)})`] : []),
    ...(missing.promotions.length ? [`${prefix}promotionRides names promotions ${row.id}'s region (${row.region}) does not have: ${nameList(missing.promotions)}`] : []),
    ...(missing.candidateIds.length ? [`${prefix}promotionRides names candidates that are not in ${row.id}: ${nameList(missing.candidateIds)}`] : []),
  ];
}

/**
 * What a replan's target refuses once its scope is found: the scope's stored rules invalid
 * (`stored`), or the overrides invalid on top of them or naming what the scope lacks
 * (`overrides`, prefixed 'ruleOverrides.'). The API's POST /replans and `launchloop replan`
 * both ask it and word the refusal their own way; null: none.
 */
export async function replanRuleProblems(
  scopes: Pick<ReturnType<typeof scopesRepository>, 'unknownReferences'>,
  row: { id: string; region: string; categories: string[]; rules: unknown },
  overrides: RuleOverrides | undefined,
): Promise<{ stored: string[] } | { overrides: string[] } | null> {
  const stored = scopeRulesSchema.safeParse(row.rules ?? {});
  if (!stored.success) return { stored: formatZodIssues(stored.error) };
  if (!overrides) return null;
  const merged = applyRuleOverrides(stored.data, overrides);
  if (!merged.success) return { overrides: formatZodIssues(merged.error).map((i) => `ruleOverrides.${i}`) };
  const problems = await ruleReferenceProblems(scopes, row, overrides, 'ruleOverrides.');
  return problems.length ? { overrides: problems } : null;
}
