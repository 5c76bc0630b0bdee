import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict flag parsing: an unknown flag or a missing value is a UsageError naming the flag. */
export function parseFlags<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing required flag --${flag}`);
  return value;
}

export function positiveInt(value: string | undefined, flag: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`missing required flag --${flag}`);
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive integer, got "${value}"`);
  return n;
}

/**
 * Whether the arguments ask for help: `--help` or `-h` anywhere before a `--` terminator. Checked
 * by the dispatcher before a command runs, so every command answers it the same way.
 */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
