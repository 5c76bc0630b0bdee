import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes, registered on the dev server at start
 * (`--search-attribute Name=Keyword`) and in docker-compose's setup. In the Temporal UI:
 * `LaunchloopScope = "electronics/east" AND LaunchloopRunKind = "replan"`.
 */
export const SCOPE = defineSearchAttributeKey('LaunchloopScope', SearchAttributeType.KEYWORD);
export const RUN_KIND = defineSearchAttributeKey('LaunchloopRunKind', SearchAttributeType.KEYWORD);
export const TRIGGER = defineSearchAttributeKey('LaunchloopTrigger', SearchAttributeType.KEYWORD);
export const STAGE = defineSearchAttributeKey('LaunchloopStage', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES: Array<{ name: string; type: 'Keyword' }> = [SCOPE, RUN_KIND, TRIGGER, STAGE].map((k) => ({
  name: k.name,
  type: 'Keyword',
}));

/** The attributes every run carries from its start: what scope, what kind of run, what started it. */
export function runSearchAttributes(scopeId: string, kind: string, trigger: string) {
  return [
    { key: SCOPE, value: scopeId },
    { key: RUN_KIND, value: kind },
    { key: TRIGGER, value: trigger },
  ];
}
