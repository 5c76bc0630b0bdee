import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError, wantsHelp } from './args.js';
import { COMMANDS, dispatch, loadCommand } from './dispatch.js';

/** Runs a command line through the dispatcher, collecting what it prints. */
async function cli(argv: string[]): Promise<string> {
  const out: string[] = [];
  await dispatch(argv, (t) => out.push(t));
  return out.join('\n');
}

describe('the launchloop command line', () => {
  it.each(Object.keys(COMMANDS))('answers `%s --help` and `-h` with the usage of that command, without running it', async (name) => {
    // Every command would fail or start servers if it ran with no other flags: the help must
    // come back instead (plans/runs would try to reach an API, run/worker a Temporal server).
    const text = await cli([name, '--help']);
    expect(text).toMatch(new RegExp(`^usage: launchloop ${name}\\b`));
    expect(await cli([name, '-h'])).toBe(text);
  });

  it('answers --help after other flags and subcommands too, but not after `--`', async () => {
    expect(await cli(['plans', 'approve', '12', '--help'])).toMatch(/^usage: launchloop plans list/);
    expect(wantsHelp(['--input', 'x', '-h'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
  });

  it('lists every command for `launchloop --help` and no arguments', async () => {
    const text = await cli(['--help']);
    for (const name of Object.keys(COMMANDS)) expect(text).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(await cli([])).toBe(text);
  });

  it('prints the package version for --version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await cli(['--version'])).toBe(pkg.version);
  });

  it('still rejects unknown options and unknown commands as usage errors', async () => {
    await expect(cli(['run', '--scope', 'electronics/east', '--bogus'])).rejects.toThrow(UsageError);
    await expect(cli(['run', '--bogus'])).rejects.toThrow(/Unknown option '--bogus'/);
    await expect(cli(['plans', 'list', '--note', 'x'])).rejects.toThrow(/Unknown option '--note'/);
    await expect(loadCommand('nope')).rejects.toThrow(/unknown command "nope"/);
  });
});
