import { randomUUID } from 'node:crypto';
import { isValidScopeId, scopeIdProblem } from '../../contracts/ids.js';
import { loadConfig } from '../../services/config.js';
import { connectClient } from '../../services/temporal-client.js';
import { startReplan } from '../../services/workflow-starts.js';
import { parseFlags, requireFlag, UsageError } from '../args.js';
import { resolveTemporalAddress } from './db-url.js';

export const help = `usage: launchloop replan --scope S --reason TEXT --by NAME [--key K]

Starts a merchandiser's replan of scope S. The key (8–100 of letters, digits, ".", "_", "-";
random when omitted) names the workflow: the same command with the same key starts one replan.
Approve its plan with \`launchloop plans approve ID\` once it is drafted.
Temporal: TEMPORAL_ADDRESS, else the dev server of \`launchloop dev\`.`;

/**
 * A merchandiser's replan. The
 * key names the workflow, so running the same command twice with the same key starts one.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { scope: { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' }, key: { type: 'string' } });
  const scopeId = requireFlag(values.scope, 'scope');
  if (!isValidScopeId(scopeId)) throw new UsageError(`--scope: ${scopeIdProblem(scopeId)}`);
  const reason = requireFlag(values.reason, 'reason');
  const by = requireFlag(values.by, 'by');
  const key = values.key ?? randomUUID();
  if (!/^[A-Za-z0-9._-]{8,100}$/.test(key)) throw new UsageError('--key must be 8–100 characters of letters, digits, ".", "_" or "-"');
  const config = loadConfig();
  const client = await connectClient(resolveTemporalAddress(), config.temporalNamespace);
  try {
    const handle = await startReplan(client, { scopeId, reason, requestedBy: by, trigger: 'cli' }, key);
    console.log(`replan ${handle.workflowId} started; follow it with \`launchloop runs show ${handle.workflowId}\` and approve its plan with \`launchloop plans approve ID\` once it is drafted`);
  } finally {
    await client.connection.close();
  }
}
