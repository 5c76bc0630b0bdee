import type { Principal } from '../session.js';

/** What every view gets: the route's parameters, the signed-in principal and the page's settings. */
export interface ViewContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Asked for alongside the view's own data, not before it. */
  principal: Promise<Principal | null>;
  temporalUi: string;
  namespace: string;
  /** Re-render the current route (after a decision, a replan). */
  reload(): void;
}

export type View = (ctx: ViewContext) => Promise<{ title: string; body: Node }>;

/** A Temporal Web UI link to a workflow (its latest run). */
export function temporalLink(ctx: ViewContext, workflowId: string): string {
  return `${ctx.temporalUi}/namespaces/${encodeURIComponent(ctx.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export const scopePath = (scopeId: string) => scopeId.split('/').map(encodeURIComponent).join('/');
