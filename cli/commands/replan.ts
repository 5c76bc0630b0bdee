import { randomUUID } from 'node:crypto';
import { replanRuleProblems } from '../../api/rule-references.js';
import { isValidScopeId, scopeIdProblem } from '../../contracts/ids.js';
import { nonEmptyOverrides, overrideIssues, ruleOverridesSchema, type RuleOverrides } from '../../contracts/rule-overrides.js';
import { connect } from '../../db/client.js';
import { scopesRepository } from '../../db/repositories/scopes.repository.js';
import { loadConfig } from '../../services/config.js';
import { resolveAddresses } from '../../services/stack.js';
import { connectClient } from '../../services/temporal-client.js';
import { startReplan } from '../../services/workflow-starts.js';
import { osUserName } from '../api-client.js';
import { parseFlags, requireFlag, UsageError } from '../args.js';
import { resolveTemporalAddress } from './db-url.js';

export const help = `usage: launchloop replan --scope S --reason TEXT [--key K] [--override RULE=VALUE ...] [--overrides-json JSON]
                       [--database-url URL]

Starts a merchandiser's replan of scope S. The key (8–100 of letters, digits, ".", "_", "-";
random when omitted) names the workflow: the same command with the same key starts one replan.
Approve its plan with \`launchloop plans approve ID\` once it is drafted.
  --override RULE=VALUE  a rule for this replan's plan only (the scope's rules are unchanged);
                         repeatable. VALUE is JSON (a bare word is a string); RULE.FIELD sets one
                         field of an object rule: --override monthlyBudget=120000
                         --override replenishment.opening=lead-time-and-review
  --overrides-json JSON  the same as one object, e.g. '{"maxLaunchesPerWeek":4}'; --override
                         values go on top of it
Which rules may be overridden, and how they are checked: docs/api.md, "Rule overrides".
Before starting, the scope and the overrides are checked against the database as the API checks
them (the scope exists, its stored rules are valid, the overrides name only its categories,
promotions and candidates): --database-url, else DATABASE_URL, else the local stack's. Without
any, the replan starts unchecked and says so; the workflow then fails on an unknown scope.
This command starts the workflow on Temporal directly, without the API and its tokens, so it
records the requester as cli:<your OS user name>, not a name you type (--by NAME is accepted
for older scripts and ignored, with a warning). To replan as a signed-in user, use the API:
POST /scopes/{group}/{region}/replans with a merchandiser token.
Temporal: TEMPORAL_ADDRESS, else the dev server of \`launchloop dev\`.`;

/** `4000`, `"x"`, `{"a":1}` as JSON; anything that is not JSON is the string itself. */
function jsonValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The overrides of the flags: `--overrides-json` first, then each `--override` on top (a dotted
 * name sets one field of an object rule). Checked with the API's schema, so a bad value is a usage
 * error naming the rule instead of a replan that fails in its plan stage.
 */
export function parseOverrides(json: string | undefined, pairs: readonly string[]): RuleOverrides | undefined {
  let raw: Record<string, unknown> = {};
  if (json !== undefined) {
    const parsed = jsonValue(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`--overrides-json must be a JSON object, got ${json}`);
    raw = parsed as Record<string, unknown>;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--override must look like RULE=VALUE (e.g. monthlyBudget=120000), got "${pair}"`);
    const [rule, field, ...deeper] = pair.slice(0, eq).split('.');
    if (deeper.length) throw new UsageError(`--override ${pair.slice(0, eq)}: only RULE or RULE.FIELD can be set`);
    const value = jsonValue(pair.slice(eq + 1));
    if (field === undefined) raw[rule] = value;
    else {
      const base = raw[rule];
      raw[rule] = { ...(typeof base === 'object' && base !== null && !Array.isArray(base) ? base : {}), [field]: value };
    }
  }
  const checked = ruleOverridesSchema.safeParse(raw);
  if (!checked.success) throw new UsageError(`invalid rule overrides: ${overrideIssues(checked.error).join('; ')}`);
  return nonEmptyOverrides(checked.data);
}

/**
 * What the API refuses up front, asked of the database: without it an unknown scope or category
 * starts a workflow that reports "started" and only fails in its plan stage.
 */
export async function checkReplanTarget(databaseUrl: string, scopeId: string, overrides: RuleOverrides | undefined): Promise<void> {
  const database = connect(databaseUrl, { max: 1 });
  try {
    const scopes = scopesRepository(database);
    const row = await scopes.get(scopeId).catch((err: unknown) => {
      // Name the database (never its password) and the way out: a bare "connect ECONNREFUSED"
      // does not say that a stale DATABASE_URL, not the replan, is what failed.
      const where = URL.canParse(databaseUrl) ? `${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}` : 'the given URL';
      throw new Error(
        `could not check scope ${scopeId} against the database at ${where}: ${err instanceof Error ? err.message : String(err)} (pass --database-url, fix DATABASE_URL, or start the local stack with \`launchloop dev\`)`,
        { cause: err },
      );
    });
    if (!row) throw new UsageError(`--scope: scope ${scopeId} does not exist (\`launchloop import\` creates scopes; GET /scopes lists them)`);
    const problem = await replanRuleProblems(scopes, row, overrides);
    if (problem && 'stored' in problem) throw new UsageError(`scope ${scopeId} has invalid stored rules, fix them first: ${problem.stored.join('; ')}`);
    if (problem) throw new UsageError(`invalid rule overrides: ${problem.overrides.join('; ')}`);
  } finally {
    await database.close();
  }
}

/**
 * A merchandiser's replan. The
 * key names the workflow, so running the same command twice with the same key starts one.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, {
    scope: { type: 'string' },
    reason: { type: 'string' },
    key: { type: 'string' },
    by: { type: 'string' },
    override: { type: 'string', multiple: true },
    'overrides-json': { type: 'string' },
    'database-url': { type: 'string' },
  });
  const scopeId = requireFlag(values.scope, 'scope');
  if (!isValidScopeId(scopeId)) throw new UsageError(`--scope: ${scopeIdProblem(scopeId)}`);
  const reason = requireFlag(values.reason, 'reason');
  const key = values.key ?? randomUUID();
  if (!/^[A-Za-z0-9._-]{8,100}$/.test(key)) throw new UsageError('--key must be 8–100 characters of letters, digits, ".", "_" or "-"');
  const ruleOverrides = parseOverrides(values['overrides-json'], values.override ?? []);
  // No token here: the honest name is the OS account that ran the command.
  const requestedBy = `cli:${osUserName()}`;
  if (values.by !== undefined) console.error(`--by is ignored: the replan is recorded as ${requestedBy} (this command does not sign in)`);
  const config = loadConfig();
  const databaseUrl = values['database-url'] || resolveAddresses(config).databaseUrl;
  if (databaseUrl) await checkReplanTarget(databaseUrl, scopeId, ruleOverrides);
  else console.error(`scope ${scopeId} and the overrides are not checked: no database (pass --database-url or set DATABASE_URL); an unknown scope fails in the workflow`);
  const client = await connectClient(resolveTemporalAddress(), config.temporalNamespace);
  try {
    const handle = await startReplan(client, { scopeId, reason, requestedBy, trigger: 'cli', ...(ruleOverrides ? { ruleOverrides } : {}) }, key);
    console.log(
      `replan ${handle.workflowId} started by ${requestedBy}${ruleOverrides ? ` with rule overrides ${JSON.stringify(ruleOverrides)}` : ''}; ` +
        `follow it with \`launchloop runs show ${handle.workflowId}\` and approve its plan with \`launchloop plans approve ID\` once it is drafted`,
    );
  } finally {
    await client.connection.close();
  }
}
