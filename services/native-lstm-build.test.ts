import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLstmKernel } from './lstm-runtime.js';

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'lstm-kernel-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('building the native LSTM kernel', () => {
  it('falls back to the tfjs path, with the reason, when the compiler is missing', () => {
    const k = loadLstmKernel({ prefer: 'auto', build: { compiler: path.join(scratch(), 'no-such-cc'), cacheDir: scratch() } });
    expect(k.choice.name).toBe('tfjs');
    expect(k.native).toBeUndefined();
    expect(k.choice.reason).toMatch(/native kernel unavailable: compiler ".*no-such-cc" not found/);
  });

  it('falls back when the kernel does not compile, quoting the compiler', () => {
    const dir = scratch();
    const bad = path.join(dir, 'bad.c');
    writeFileSync(bad, 'this is not C;\n');
    const k = loadLstmKernel({ prefer: 'auto', build: { source: bad, cacheDir: dir } });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/native kernel unavailable: (compile failed|compiler .* not found)/);
  });

  it('falls back when Node headers are missing', () => {
    const k = loadLstmKernel({ prefer: 'auto', build: { nodeInclude: scratch(), cacheDir: scratch() } });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/Node headers not found/);
  });

  it('a forced native kernel that cannot be built fails loudly instead of falling back', () => {
    expect(() => loadLstmKernel({ prefer: 'native', build: { compiler: path.join(scratch(), 'no-such-cc'), cacheDir: scratch() } })).toThrow(
      /native LSTM kernel forced but unavailable/,
    );
  });
});

// Only where the native kernel builds (gcc and Node headers present).
const built = loadLstmKernel({ prefer: 'auto' });
describe.skipIf(!built.native)('a built native kernel', () => {
  it('is reported with its instruction set and cached file', () => {
    expect(built.choice.name).toBe('native');
    expect(built.choice.detail).toMatch(/^native (avx512|avx2|sse) \(.*lstm-[0-9a-f]{16}\.node\)$/);
  });

  it('a kernel that computes wrong values fails its self-check and falls back', () => {
    const dir = scratch();
    const wrong = path.join(dir, 'lstm.c');
    const text = readFileSync(fileURLToPath(new URL('../engine/lstm/native/lstm.c', import.meta.url)), 'utf8');
    expect(text).toContain('p = p * r + 0.5f;');
    writeFileSync(wrong, text.replace('p = p * r + 0.5f;', 'p = p * r + 0.45f;')); // a wrong exp
    const k = loadLstmKernel({ prefer: 'auto', build: { source: wrong, cacheDir: dir } });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/native kernel unavailable: self-check failed/);
  });
});
