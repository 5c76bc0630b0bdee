import { isValidScopeId, scopeIdProblem } from '../../contracts/ids.js';
import { loadConfig } from '../../services/config.js';
import { connectClient } from '../../services/temporal-client.js';
import { startLoop } from '../../services/workflow-starts.js';
import { parseFlags, positiveInt, requireFlag, UsageError } from '../args.js';
import { resolveTemporalAddress } from './db-url.js';

export const help = `usage: launchloop run --scope S [--horizon N] [--feedback-interval "7 days"]

Starts the planning loop (retrain → forecast → plan → approval) for scope S, e.g.
electronics/east, or reports the one already running. Follow it with \`launchloop runs show ID\`.
  --horizon N              weeks to plan (default: the scope's rules)
  --feedback-interval D    how often the loop waits for sales feedback, e.g. "7 days"
Temporal: TEMPORAL_ADDRESS, else the dev server of \`launchloop dev\`.`;

/** Starts the loop. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseFlags(args, { scope: { type: 'string' }, horizon: { type: 'string' }, 'feedback-interval': { type: 'string' } });
  const scopeId = requireFlag(values.scope, 'scope');
  if (!isValidScopeId(scopeId)) throw new UsageError(`--scope: ${scopeIdProblem(scopeId)}`);
  const config = loadConfig();
  const client = await connectClient(resolveTemporalAddress(), config.temporalNamespace);
  try {
    const handle = await startLoop(client, {
      scopeId,
      trigger: 'cli',
      horizonWeeks: values.horizon ? positiveInt(values.horizon, 'horizon') : undefined,
      feedbackInterval: values['feedback-interval'],
    });
    console.log(`loop ${handle.workflowId} running (run ${handle.firstExecutionRunId}); follow it with \`launchloop runs show ${handle.workflowId}\``);
  } finally {
    await client.connection.close();
  }
}
