import { readFileSync } from 'node:fs';
import { UsageError, wantsHelp } from './args.js';

/**
 * The command table and how a command line reaches a command. Each command lives in
 * cli/commands/<name>.ts and exports `run(args)` and `help` (its usage text); modules load
 * lazily (LOADERS) so `forecast` never pays for Temporal or TensorFlow start-up.
 */
export const COMMANDS = {
  demo: 'start everything on embedded defaults, run one full loop, serve until Ctrl-C (--exit to stop after the first plan)',
  dev: 'start the embedded Postgres and Temporal dev server only',
  seed: 'generate the synthetic marketplace and load it into the database',
  import: 'import real data from CSV files (validated; nothing is written on any error)',
  worker: 'run a worker: --queue workflows|cpu|gpu|all',
  api: 'run the HTTP API',
  run: 'start the planning loop for a scope',
  replan: 'ask a running loop to replan',
  plans: 'list, show, approve or reject plans through the running API',
  runs: 'list runs or show one through the running API',
  tokens: 'create, list or revoke API sign-in tokens (in the database)',
  forecast: 'batch-forecast series from a CSV (engine evaluation, no stack needed)',
  coldstart: 'forecast launch curves of new items from a catalogue (engine evaluation)',
  audience: 'rank the customers most likely to buy each candidate, from order histories (no stack needed)',
  plan: 'plan launches from a scenario file (planner evaluation, no stack needed)',
  simulate: 'play plans forward against the synthetic ground truth and report KPIs',
} satisfies Record<string, string>;

export interface CommandModule {
  run: (args: string[]) => Promise<void>;
  help: string;
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'usage: launchloop <command> [flags]',
    '       launchloop <command> --help    that command\'s flags',
    '       launchloop --version',
    '',
    ...Object.entries(COMMANDS).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`),
  ].join('\n');
}

/** The version in package.json (cli/ runs from source under tsx, so it is one folder up). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * One static import per command: modules load only when their command runs, and the type
 * checks that every command module exports `run` and `help`.
 */
const LOADERS: Record<keyof typeof COMMANDS, () => Promise<CommandModule>> = {
  demo: () => import('./commands/demo.js'),
  dev: () => import('./commands/dev.js'),
  seed: () => import('./commands/seed.js'),
  import: () => import('./commands/import.js'),
  worker: () => import('./commands/worker.js'),
  api: () => import('./commands/api.js'),
  run: () => import('./commands/run.js'),
  replan: () => import('./commands/replan.js'),
  plans: () => import('./commands/plans.js'),
  runs: () => import('./commands/runs.js'),
  tokens: () => import('./commands/tokens.js'),
  forecast: () => import('./commands/forecast.js'),
  coldstart: () => import('./commands/coldstart.js'),
  audience: () => import('./commands/audience.js'),
  plan: () => import('./commands/plan.js'),
  simulate: () => import('./commands/simulate.js'),
};

const isCommand = (name: string): name is keyof typeof COMMANDS => Object.hasOwn(LOADERS, name);

export async function loadCommand(name: string): Promise<CommandModule> {
  if (!isCommand(name)) throw new UsageError(`unknown command "${name}"\n\n${usage()}`);
  return LOADERS[name]();
}

/**
 * Runs one command line. `--help`/`-h` after a command prints that command's help instead of
 * running it (whatever else is on the line), so no command parses it itself.
 */
export async function dispatch(argv: string[], print: (text: string) => void = (t) => console.log(t)): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    print(usage());
    return;
  }
  if (name === '--version' || name === '-V') {
    print(packageVersion());
    return;
  }
  const mod = await loadCommand(name);
  if (wantsHelp(rest)) {
    print(mod.help);
    return;
  }
  await mod.run(rest);
}
