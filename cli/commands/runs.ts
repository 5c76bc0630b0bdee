import { API_FLAGS, apiClient, defaultApiUrl, resolveToken, table } from '../api-client.js';
import { parseFlags, UsageError } from '../args.js';
import { moreLine, PAGE_FLAGS, readList } from '../pages.js';

export const help = `usage: launchloop runs list [--scope S] [--limit N] [--cursor C | --all] [--json]
       launchloop runs show WORKFLOW_ID [--json]

Reads runs (planning loops and replans) through the running API (GET /runs, GET /runs/{id}):
the list of recent runs, or one run with Temporal's status, its live stage and the activities
in progress.
  --api URL   the API (default http://127.0.0.1:\${PORT:-3000})
  --token T   the bearer token to sign in with (default LAUNCHLOOP_TOKEN)
  --json      print the API's JSON answer instead of a table
  --limit N   runs per page (1-200; the API's default is 50)
  --cursor C  start at this page (the list prints the next page's command when there is more)
  --all       read every page
An error answer is printed as its code and message (exit 1).`;

const COMMON = API_FLAGS;

interface RunRow {
  workflowId: string;
  scopeId: string;
  kind: string;
  trigger: string;
  status: string;
  error?: string | null;
  startedAt: string;
  finishedAt?: string | null;
}

interface RunDetail {
  workflowId: string;
  run: RunRow | null;
  temporal: {
    status: string;
    type?: string;
    pendingActivities?: Array<{ activityType?: string; attempt?: number; lastFailure?: string; heartbeat?: unknown }>;
  } | null;
  live: ({ stage?: string; lastError?: string } & Record<string, unknown>) | null;
}

const when = (t: string | null | undefined) => (t ? t.slice(0, 19).replace('T', ' ') : '');

export function runsTable(runs: RunRow[]): string {
  if (runs.length === 0) return 'no runs';
  return table(
    ['workflow', 'scope', 'kind', 'trigger', 'status', 'started', 'finished', 'error'],
    runs.map((r) => [r.workflowId, r.scopeId, r.kind, r.trigger, r.status, when(r.startedAt), when(r.finishedAt), (r.error ?? '').split('\n')[0].slice(0, 60)]),
  );
}

export function runText(d: RunDetail): string {
  const lines = [`Run ${d.workflowId}`];
  if (d.run) {
    lines.push(`  scope ${d.run.scopeId}, ${d.run.kind} (${d.run.trigger}), ${d.run.status}; started ${when(d.run.startedAt)}${d.run.finishedAt ? `, finished ${when(d.run.finishedAt)}` : ''}`);
    if (d.run.error) lines.push(`  error: ${d.run.error}`);
  }
  if (d.temporal) lines.push(`  Temporal: ${d.temporal.status}${d.temporal.type ? ` (${d.temporal.type})` : ''}`);
  if (d.live) {
    const extra = Object.entries(d.live)
      .filter(([k, v]) => k !== 'stage' && k !== 'lastError' && v !== undefined && v !== null && typeof v !== 'object')
      .map(([k, v]) => `${k} ${String(v)}`);
    lines.push(`  stage: ${d.live.stage ?? '?'}${extra.length ? ` (${extra.join(', ')})` : ''}`);
    if (d.live.lastError) lines.push(`  last error: ${d.live.lastError}`);
  }
  for (const a of d.temporal?.pendingActivities ?? []) {
    const beat = a.heartbeat === undefined ? '' : `, heartbeat ${JSON.stringify(a.heartbeat)}`;
    lines.push(`  activity ${a.activityType ?? '?'} attempt ${a.attempt ?? '?'}${a.lastFailure ? `, last failure: ${a.lastFailure}` : ''}${beat}`);
  }
  return lines.join('\n');
}

/** `launchloop runs list|show`. */
export async function run(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const { values, positionals } = parseFlags(rest, { ...COMMON, ...PAGE_FLAGS, scope: { type: 'string' } });
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" for runs list`);
      const query = new URLSearchParams(values.scope ? { scope: values.scope } : {});
      const page = await readList<RunRow>(apiClient(values.api ?? defaultApiUrl(), resolveToken(values.token)), '/runs', query, values);
      if (values.json) return void console.log(JSON.stringify(page, null, 2));
      console.log(runsTable(page.items));
      const more = moreLine(['launchloop runs list', ...(values.scope ? [`--scope ${values.scope}`] : []), ...(values.limit ? [`--limit ${values.limit}`] : [])].join(' '), page.nextCursor);
      if (more) console.log(more);
      return;
    }
    case 'show': {
      const { values, positionals } = parseFlags(rest, COMMON);
      const id = positionals[0];
      if (!id) throw new UsageError('runs show needs a workflow id, e.g. `launchloop runs show loop/electronics/east`');
      if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}" for runs show`);
      // Workflow ids hold slashes, which the route keeps as path segments.
      const path = `/runs/${id.split('/').map(encodeURIComponent).join('/')}`;
      const body = (await apiClient(values.api ?? defaultApiUrl(), resolveToken(values.token)).get(path)) as RunDetail;
      console.log(values.json ? JSON.stringify(body, null, 2) : runText(body));
      return;
    }
    case undefined:
      throw new UsageError(`runs needs a subcommand: list or show\n\n${help}`);
    default:
      throw new UsageError(`unknown runs subcommand "${sub}" (list or show)`);
  }
}
