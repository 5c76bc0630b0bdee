import { api, ApiError } from './api.js';

/** Who the token belongs to, as far as the page needs it: its role decides which buttons show. */
export interface Principal {
  name: string | null;
  role: 'viewer' | 'merchandiser' | 'planner' | 'admin' | null;
  scopes: string[] | null;
}

const RANK = { viewer: 0, merchandiser: 1, planner: 2, admin: 3 } as const;

/** True when the principal's role includes `needed`; an unknown role shows the action and lets the API decide. */
export function can(p: Principal | null, needed: keyof typeof RANK): boolean {
  if (!p?.role) return true;
  return RANK[p.role] >= RANK[needed];
}

/**
 * The signed-in principal from `GET /auth/me`. A 404 (an API without that route) means the
 * role is unknown: the page then shows every action and the API's 403 tells the user.
 */
export async function loadPrincipal(): Promise<Principal | null> {
  try {
    const me = await api<{ name?: string; role?: Principal['role']; scopes?: string[] | null; token?: { name?: string; role?: Principal['role']; scopes?: string[] | null } }>('/auth/me');
    const t = me.token ?? me;
    return { name: t.name ?? null, role: t.role ?? null, scopes: t.scopes ?? null };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { name: null, role: null, scopes: null };
    throw err;
  }
}
