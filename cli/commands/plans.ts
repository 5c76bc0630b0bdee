import { API_FLAGS, apiClient, defaultApiUrl, osUserName, resolveToken, table } from '../api-client.js';
import { parseFlags, UsageError } from '../args.js';
import { formatPlan, type PlanView } from '../format-plan.js';
import { moreLine, PAGE_FLAGS, readList } from '../pages.js';

export const help = `usage: launchloop plans list [--scope S] [--status draft|published|rejected|superseded] [--limit N] [--cursor C | --all] [--json]
       launchloop plans show ID [--json]
       launchloop plans approve ID [--note TEXT] [--by NAME] [--json]
       launchloop plans reject ID [--note TEXT] [--by NAME] [--json]

Reads and decides plans through the running API (GET /plans, GET /plans/{id},
POST /plans/{id}/approve|reject). Approving publishes the draft; the API records the decision
under the signed-in token's name (--by is sent for older APIs and ignored by this one).
  --api URL   the API (default http://127.0.0.1:\${PORT:-3000})
  --token T   the bearer token to sign in with (default LAUNCHLOOP_TOKEN)
  --json      print the API's JSON answer instead of a table
  --limit N   plans per page (1-200; the API's default is 50)
  --cursor C  start at this page (the list prints the next page's command when there is more)
  --all       read every page
An error answer is printed as its code and message (exit 1).`;

const COMMON = API_FLAGS;

interface PlanRow {
  id: number;
  scopeId: string;
  version: number;
  status: string;
  method: string;
  objective: number;
  parentPlanId: number | null;
  createdAt: string;
  decidedBy?: string | null;
}

interface ApiPlan extends Omit<PlanView, 'items'> {
  parentPlanId?: number | null;
  decidedBy?: string | null;
  decisionNote?: string | null;
  decidedAt?: string | null;
  items: Array<{
    candidateId: string;
    name?: string;
    launchWeek: string;
    openingQty: number;
    expectedUnits: { mean: number; lo: number; hi: number };
    rationale: unknown[];
    audience?: { size: number; expectedBuyers: number; topSegments: Array<{ key: string; share: number }> } | null;
  }>;
}

function planIdArg(raw: string | undefined, sub: string): number {
  if (raw === undefined) throw new UsageError(`plans ${sub} needs a plan id, e.g. \`launchloop plans ${sub} 12\``);
  if (!/^[1-9][0-9]*$/.test(raw)) throw new UsageError(`plan id must be a positive integer, got "${raw}"`);
  return Number(raw);
}

function noMoreArgs(rest: string[], sub: string): void {
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" for plans ${sub}`);
}

const money = (v: number) => Math.round(v).toLocaleString('en-US');

export function plansTable(plans: PlanRow[]): string {
  if (plans.length === 0) return 'no plans';
  return table(
    ['id', 'scope', 'version', 'status', 'method', 'net margin', 'parent', 'created', 'decided by'],
    plans.map((p) => [
      String(p.id),
      p.scopeId,
      `v${p.version}`,
      p.status,
      p.method,
      money(p.objective),
      p.parentPlanId == null ? '' : String(p.parentPlanId),
      p.createdAt.slice(0, 16).replace('T', ' '),
      p.decidedBy ?? '',
    ]),
    [0, 5, 6],
  );
}

export function planText(plan: ApiPlan): string {
  const view: PlanView = {
    ...plan,
    items: plan.items.map((i) => ({
      candidateId: i.candidateId,
      name: i.name,
      launchWeek: i.launchWeek,
      openingQty: i.openingQty,
      expectedUnits: i.expectedUnits.mean,
      unitsLo: i.expectedUnits.lo,
      unitsHi: i.expectedUnits.hi,
      rationale: i.rationale.map(String),
    })),
  };
  const lines = [formatPlan(view, Number.POSITIVE_INFINITY)];
  if (plan.parentPlanId != null) lines.push(`  revises plan ${plan.parentPlanId}`);
  const overrides = (plan.summary as { overrideNotes?: unknown }).overrideNotes;
  if (Array.isArray(overrides) && overrides.length) lines.push(`  rule overrides for this plan only: ${overrides.map(String).join('; ')}`);
  const withAudience = plan.items.filter((i) => i.audience);
  if (withAudience.length) {
    const buyers = withAudience.reduce((sum, i) => sum + i.audience!.expectedBuyers, 0);
    lines.push(
      `  audiences: ${withAudience.length} of ${plan.items.length} launches, ${Math.round(buyers).toLocaleString('en-US')} expected buyers among existing customers ` +
        `(GET /plans/${plan.id}/items/{candidate}/audience for the ranked customers)`,
    );
  }
  if (plan.decidedBy) lines.push(`  ${plan.status} by ${plan.decidedBy}${plan.decidedAt ? ` at ${plan.decidedAt}` : ''}${plan.decisionNote ? `: ${plan.decisionNote}` : ''}`);
  return lines.join('\n');
}

/** `launchloop plans list|show|approve|reject`. */
export async function run(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const { values, positionals } = parseFlags(rest, { ...COMMON, ...PAGE_FLAGS, scope: { type: 'string' }, status: { type: 'string' } });
      noMoreArgs(positionals, sub);
      const query = new URLSearchParams();
      if (values.scope) query.set('scope', values.scope);
      if (values.status) query.set('status', values.status);
      const page = await readList<PlanRow>(apiClient(values.api ?? defaultApiUrl(), resolveToken(values.token)), '/plans', query, values);
      if (values.json) return void console.log(JSON.stringify(page, null, 2));
      console.log(plansTable(page.items));
      const more = moreLine(['launchloop plans list', ...[...query].map(([k, v]) => `--${k} ${v}`), ...(values.limit ? [`--limit ${values.limit}`] : [])].join(' '), page.nextCursor);
      if (more) console.log(more);
      return;
    }
    case 'show': {
      const { values, positionals } = parseFlags(rest, COMMON);
      const id = planIdArg(positionals[0], sub);
      noMoreArgs(positionals.slice(1), sub);
      const plan = (await apiClient(values.api ?? defaultApiUrl(), resolveToken(values.token)).get(`/plans/${id}`)) as ApiPlan;
      console.log(values.json ? JSON.stringify(plan, null, 2) : planText(plan));
      return;
    }
    case 'approve':
    case 'reject': {
      const { values, positionals } = parseFlags(rest, { ...COMMON, note: { type: 'string' }, by: { type: 'string' } });
      const id = planIdArg(positionals[0], sub);
      noMoreArgs(positionals.slice(1), sub);
      const decision = { by: values.by || osUserName(), ...(values.note !== undefined ? { note: values.note } : {}) };
      const a = (await apiClient(values.api ?? defaultApiUrl(), resolveToken(values.token)).post(`/plans/${id}/${sub}`, decision)) as { planId: number; status: string; workflowId?: string; decidedBy?: string };
      console.log(values.json ? JSON.stringify(a, null, 2) : `plan ${a.planId} ${a.status} (by ${a.decidedBy ?? decision.by}${a.workflowId ? `; workflow ${a.workflowId}` : ''})`);
      return;
    }
    case undefined:
      throw new UsageError(`plans needs a subcommand: list, show, approve or reject\n\n${help}`);
    default:
      throw new UsageError(`unknown plans subcommand "${sub}" (list, show, approve or reject)`);
  }
}
