import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import config from '../.dependency-cruiser.mjs';

// The layer fence of docs/architecture.md (rules in .dependency-cruiser.mjs), run over the real
// tree and over a planted tree (architecture/fixtures) that breaks every rule once, so a rule
// that stops matching (a renamed folder, a resolver change) fails here instead of passing quietly.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['workflows', 'activities', 'workers', 'api', 'db', 'engine', 'data', 'cli', 'bench', 'services', 'contracts'];
const fence = config as IConfiguration;

async function violationsIn(baseDir: string, dirs: string[]): Promise<{ result: ICruiseResult; lines: string[] }> {
  const output = await cruise(
    dirs,
    {
      ...fence.options,
      ruleSet: { forbidden: fence.forbidden },
      baseDir,
      validate: true,
      outputType: 'json',
    },
    {},
    { tsConfig: undefined },
  );
  const result = (typeof output.output === 'string' ? JSON.parse(output.output) : output.output) as ICruiseResult;
  const lines = result.summary.violations.map((v) =>
    v.rule.name === 'engine-no-cycles'
      ? `${v.rule.name}: ${v.from} ↻ ${(v.cycle ?? []).map((c) => c.name).join(' → ')}`
      : `${v.rule.name}: ${v.from} → ${v.to}`,
  );
  return { result, lines };
}

describe('import fence', () => {
  it('the codebase keeps every layer rule', async () => {
    const { result, lines } = await violationsIn(root, LAYERS);
    // A vacuous pass (nothing resolved) would also report no violations.
    expect(result.summary.totalCruised).toBeGreaterThan(200);
    expect(result.summary.totalDependenciesCruised).toBeGreaterThan(500);
    expect(lines).toEqual([]);
  }, 60_000);

  it('the engine reads no environment (options come in as parameters from services/)', () => {
    const files = (readdirSync(path.join(root, 'engine'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(100);
    const readers = files.filter((f) => /\bprocess\.(env|argv|cwd)\b/.test(readFileSync(path.join(root, 'engine', f), 'utf8')));
    expect(readers).toEqual([]);
  });

  it('each rule catches its planted violation and nothing else', async () => {
    const { lines } = await violationsIn(path.join(root, 'architecture', 'fixtures'), ['workflows', 'activities', 'api', 'db', 'engine']);
    const byRule = (name: string) => lines.filter((l) => l.startsWith(`${name}:`));
    expect(byRule('workflow-sandbox')).toEqual(
      expect.arrayContaining(['workflow-sandbox: workflows/bad.ts → fs', 'workflow-sandbox: workflows/bad.ts → engine/alpha/internal.ts']),
    );
    expect(byRule('workflow-activities-as-types')).toEqual(['workflow-activities-as-types: workflows/bad.ts → activities/bad.ts']);
    expect(byRule('sql-through-repositories')).toEqual(['sql-through-repositories: activities/bad.ts → db/schema.ts']);
    expect(byRule('engine-public-surface')).toEqual(['engine-public-surface: workflows/bad.ts → engine/alpha/internal.ts']);
    expect(byRule('engine-no-io')).toEqual(['engine-no-io: engine/alpha/internal.ts → child_process']);
    expect(byRule('engine-modules-through-index')).toEqual(['engine-modules-through-index: engine/alpha/internal.ts → engine/beta/inner.ts']);
    expect(byRule('engine-is-pure')).toEqual(['engine-is-pure: engine/beta/inner.ts → db/repositories/good.repository.ts']);
    expect(byRule('engine-no-cycles').length).toBeGreaterThan(0);
    // The allowed paths (api → repository, api → engine index) raise nothing.
    expect(lines.filter((l) => l.includes('api/good.ts'))).toEqual([]);
  }, 60_000);
});
