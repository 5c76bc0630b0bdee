import { readFile, writeFile } from 'node:fs/promises';
import { parseFlags, requireFlag, UsageError } from '../args.js';
import { configureHighs, exportLp, planLaunches, ScenarioError, validateScenario, type PlanResult } from '../../engine/planner/index.js';
import { engineOptions } from '../../services/engine-options.js';

export const help = `usage: launchloop plan --scenario FILE --output OUT [--export-lp FILE] [--time-limit S] [--gap G] [--greedy]

Plans launches from a scenario JSON file (format: engine/planner/README.md) with the MILP
(HiGHS), falling back to the greedy plan, and writes the plan JSON to OUT.
  --export-lp FILE  also write the model in CPLEX LP format (cross-check with native HiGHS)
  --time-limit S    solver time limit in seconds (default: scenario.solver or 30)
  --gap G           relative MIP gap target, e.g. 0.01 (default: scenario.solver or 0.01)
  --greedy          only the greedy baseline
Exit status 3 when the rules conflict (the conflicts are printed and in the plan file).
example: npm run launchloop -- plan --scenario engine/planner/examples/small.json --output plan.json`;

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (flag === 'time-limit' && n === 0)) throw new UsageError(`--${flag} must be a ${flag === 'gap' ? 'non-negative' : 'positive'} number, got "${value}"`);
  return n;
}

function summary(plan: PlanResult): string {
  const lines = [
    `${plan.method} plan, ${plan.status}: ${plan.items.length} launches, expected net value ${plan.objective.total.toLocaleString('en-US')}` +
      (plan.solver ? ` (solver ${plan.solver.status}, gap ${plan.solver.gap === null ? 'n/a' : `${(plan.solver.gap * 100).toFixed(2)}%`}, ${plan.solver.solveSeconds}s)` : ''),
  ];
  if (plan.fallbackReason) lines.push(`fallback: ${plan.fallbackReason}`);
  for (const c of plan.conflicts) lines.push(`conflict (${c.rule}): ${c.message}`);
  for (const it of plan.items.slice(0, 20)) lines.push(`  ${it.weekStart}  ${it.name}  qty ${it.openingQty}  — ${it.rationale.drivers[0]?.detail ?? ''}`);
  if (plan.items.length > 20) lines.push(`  ... ${plan.items.length - 20} more in the output file`);
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

export async function run(args: string[]): Promise<void> {
  configureHighs(engineOptions().highs);
  const { values } = parseFlags(args, {
    scenario: { type: 'string' },
    output: { type: 'string' },
    'export-lp': { type: 'string' },
    'time-limit': { type: 'string' },
    gap: { type: 'string' },
    greedy: { type: 'boolean' },
  });
  const scenarioPath = requireFlag(values.scenario, 'scenario');
  const output = requireFlag(values.output, 'output');
  const timeLimitSeconds = positiveNumber(values['time-limit'], 'time-limit');
  const gapTarget = positiveNumber(values.gap, 'gap');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(scenarioPath, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read scenario ${scenarioPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let scenario;
  try {
    scenario = validateScenario(raw);
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(`${scenarioPath}: ${err.message}`);
    throw err;
  }
  if (values['export-lp']) {
    await writeFile(values['export-lp'], exportLp(scenario));
    console.log(`model written to ${values['export-lp']}`);
  }
  const plan = await planLaunches(scenario, {
    ...(timeLimitSeconds !== undefined ? { timeLimitSeconds } : {}),
    ...(gapTarget !== undefined ? { gapTarget } : {}),
    ...(values.greedy ? { method: 'greedy' as const } : {}),
  });
  await writeFile(output, `${JSON.stringify(plan, null, 2)}\n`);
  console.log(summary(plan));
  console.log(`plan written to ${output}`);
  if (plan.status === 'infeasible') process.exitCode = 3;
}
