/**
 * Workflow ids read as sentences in the Temporal UI's list: what ran, for which scope, and
 * which attempt. Scope ids look like `electronics/east`.
 */
export const workflowIds = {
  loop: (scopeId: string) => `loop/${scopeId}`,
  retrain: (scopeId: string, tag: string) => `retrain/${scopeId}/${tag}`,
  forecast: (scopeId: string, tag: string) => `forecast/${scopeId}/${tag}`,
  plan: (scopeId: string, tag: string) => `plan/${scopeId}/${tag}`,
  replan: (scopeId: string, key: string) => `replan/${scopeId}/${key}`,
  retrainSchedule: (scopeId: string) => `retrain-schedule/${scopeId}`,
  /** The retrain a schedule starts (Temporal appends the start time to keep each run's id unique). */
  scheduledRetrain: (scopeId: string) => `retrain/${scopeId}/scheduled`,
};

const SCOPE_RE = /^[a-z0-9][a-z0-9_-]*\/[a-z0-9][a-z0-9_-]*$/;

/** The one check of a scope id, used by the import, the CLI and the API alike. */
export function isValidScopeId(id: string): boolean {
  return SCOPE_RE.test(id);
}

/** What a rejected scope id is told, the same words everywhere. */
export function scopeIdProblem(id: string): string {
  return `scope id must look like "group/region" (lower-case letters, digits, "-" or "_"), got "${id}"`;
}
