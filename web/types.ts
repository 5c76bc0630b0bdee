/** The API's answers as the page reads them (docs/api.md and /openapi.json are the reference). */
export interface Scope {
  id: string;
  region: string;
  categories: string[];
}

export type PlanStatus = 'draft' | 'published' | 'rejected' | 'superseded';

export interface PlanRow {
  id: number;
  scopeId: string;
  version: number;
  parentPlanId: number | null;
  runId: string;
  status: PlanStatus;
  method: string;
  objective: number;
  gap: number | null;
  createdAt?: string;
  decidedBy?: string | null;
  decidedAt?: string | null;
  decisionNote?: string | null;
}

export interface PlanItem {
  candidateId: string;
  name?: string;
  category?: string;
  launchWeek: string;
  openingQty: number;
  expectedUnits: { mean: number; lo: number; hi: number; level: number };
  expectedNetMargin: number;
  fixed: boolean;
  rationale: string[];
}

export interface PlanChange {
  candidateId: string;
  name: string;
  kind: 'moved' | 'added' | 'dropped' | 'requantified';
  fromWeek?: string;
  toWeek?: string;
  fromQty?: number;
  toQty?: number;
  why: string;
}

export interface Plan extends PlanRow {
  summary: {
    reason?: string;
    status?: string;
    objective?: Record<string, number>;
    solver?: { engine?: string; status?: string; gap?: number | null; solveSeconds?: number } | null;
    notLaunched?: Array<{ candidateId: string; reason: string }>;
    warnings?: string[];
    startWeek?: string;
    notes?: string[];
    /** The replan's rule overrides in words ("monthly opening budget raised to 120,000 for this replan …"). */
    overrideNotes?: string[];
  };
  /** Rules this plan was built with instead of the scope's (a replan's overrides); null when none. */
  ruleOverrides?: Record<string, unknown> | null;
  diff: { changes: PlanChange[]; objectiveDelta: number; summary: string } | null;
  items: PlanItem[];
}

export interface Kpis {
  launches: number;
  openingUnits: number;
  openingSpend: number;
  objective: Record<string, number> | null;
  itemsNetMargin: number;
  /** `spend`: openings plus `reorders` (planned reorders), as the monthly budget rule counts it. */
  spendByMonth: Array<{ month: string; spend: number; reorders: number; budget: number | null; launches: number }>;
  loadByWeek: Array<{ week: string; launches: number; capacity: number; byCategory: Record<string, number> }>;
  missingCosts: string[];
}

export interface Calendar {
  scopeId: string;
  categories: string[];
  promotions: Array<{ id: number; name: string; category: string | null; startWeek: string; endWeek: string; discount: number; kind: string }>;
  competitorLaunches: Array<{ competitor: string; category: string; week: string; description: string }>;
}

/** `GET /plans/:id/items/:candidateId/forecast`. */
export interface ItemForecast {
  planId: number;
  candidateId: string;
  launchWeek: string;
  openingQty: number;
  demand: Array<{ week: string; step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }>;
  sales: Array<{ week: string; units: number; stockout: boolean }>;
}

export interface RunRow {
  workflowId: string;
  scopeId: string;
  kind: string;
  trigger: string;
  status: string;
  detail: Record<string, unknown>;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface RunStatus {
  workflowId: string;
  run: RunRow | null;
  temporal: { status: string; pendingActivities: Array<{ activityType?: string; attempt?: number; lastFailure?: string }> } | null;
  live: { stage?: string; planId?: number; [k: string]: unknown } | null;
}

export interface ModelRow {
  id: number;
  kind: string;
  version: number;
  snapshotId: number | null;
  hyper: Record<string, unknown>;
  metrics: Record<string, number>;
  backend: string | null;
  status: string;
  isChampion: boolean;
  createdAt: string;
}
