import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseLstmKernel } from './kernel.js';
import { referenceForward, selfCheck } from './native/selfCheck.js';

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'lstm-kernel-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('LSTM kernel selection', () => {
  it('falls back to the tfjs path, with the reason, when the compiler is missing', () => {
    const k = chooseLstmKernel({ prefer: 'auto', build: { compiler: path.join(scratch(), 'no-such-cc'), cacheDir: scratch() } });
    expect(k.choice.name).toBe('tfjs');
    expect(k.native).toBeUndefined();
    expect(k.choice.reason).toMatch(/native kernel unavailable: compiler ".*no-such-cc" not found/);
  });

  it('falls back when the kernel does not compile, quoting the compiler', () => {
    const dir = scratch();
    const bad = path.join(dir, 'bad.c');
    writeFileSync(bad, 'this is not C;\n');
    const k = chooseLstmKernel({ prefer: 'auto', build: { source: bad, cacheDir: dir } });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/native kernel unavailable: (compile failed|compiler .* not found)/);
  });

  it('falls back when Node headers are missing', () => {
    const k = chooseLstmKernel({ prefer: 'auto', build: { nodeInclude: scratch(), cacheDir: scratch() } });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/Node headers not found/);
  });

  it('a forced native kernel that cannot be built fails loudly instead of falling back', () => {
    expect(() => chooseLstmKernel({ prefer: 'native', build: { compiler: path.join(scratch(), 'no-such-cc'), cacheDir: scratch() } })).toThrow(
      /native LSTM kernel forced but unavailable/,
    );
  });

  it('keeps the tfjs path on the CUDA backend unless native is asked for', () => {
    const k = chooseLstmKernel({ prefer: 'auto', backend: 'tensorflow-gpu' });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/CUDA backend/);
  });

  it('tfjs can be forced and an unknown name is rejected', () => {
    expect(chooseLstmKernel({ prefer: 'tfjs' }).choice.name).toBe('tfjs');
    expect(() => chooseLstmKernel({ prefer: 'cuda' })).toThrow(/must be one of/);
  });
});

// Only where the native kernel builds (gcc and Node headers present).
const built = chooseLstmKernel({ prefer: 'auto' });
describe.skipIf(!built.native)('native kernel', () => {
  const nat = built.native!;
  it('agrees with the plain-JS forward pass used as its start-up self-check', () => {
    const [B, T, F, H] = [5, 4, 2, 33];
    const rand = (n: number, s: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + s) * 0.5);
    const [x, k, r, b] = [rand(B * T * F, 1), rand(F * 4 * H, 2), rand(H * 4 * H, 3), rand(4 * H, 4)];
    const h = new Float32Array(B * H);
    nat.forward(B, T, F, H, x, k, r, b, false, h, null, null, null);
    const want = referenceForward(B, T, F, H, x, k, r, b);
    for (let i = 0; i < B * H; i++) expect(Math.abs(h[i] - want[i])).toBeLessThan(1e-5);
    expect(() => selfCheck(nat)).not.toThrow();
  });

  it('a kernel that computes wrong values fails its self-check and falls back', () => {
    const dir = scratch();
    const wrong = path.join(dir, 'lstm.c');
    const text = readFileSync(fileURLToPath(new URL('./native/lstm.c', import.meta.url)), 'utf8');
    expect(text).toContain('p = p * r + 0.5f;');
    writeFileSync(wrong, text.replace('p = p * r + 0.5f;', 'p = p * r + 0.45f;')); // a wrong exp
    const k = chooseLstmKernel({ prefer: 'auto', build: { source: wrong, cacheDir: dir } });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/native kernel unavailable: self-check failed/);
  });

  it('is reported with its instruction set', () => {
    expect(built.choice.name).toBe('native');
    expect(built.choice.detail).toMatch(/^native (avx512|avx2|sse) /);
  });

  it('rejects wrongly sized or typed buffers with an exception instead of touching memory', () => {
    const [B, T, F, H] = [2, 3, 4, 5];
    const ok = (n: number): Float32Array => new Float32Array(n);
    const args = (): Parameters<typeof nat.forward> => [B, T, F, H, ok(B * T * F), ok(F * 4 * H), ok(H * 4 * H), ok(4 * H), false, ok(B * H), null, null, null];
    expect(() => nat.forward(...args())).not.toThrow();
    const short = args();
    short[4] = ok(B * T * F - 1);
    expect(() => nat.forward(...short)).toThrow(/x has 23 values, expected 24/);
    const typed = args();
    (typed as unknown[])[6] = new Float64Array(H * 4 * H);
    expect(() => nat.forward(...typed)).toThrow(/recurrent must be a Float32Array/);
    const keep = args();
    keep[8] = true; // the training trace must then be passed, sized [T + 1, B, H] etc.
    expect(() => nat.forward(...keep)).toThrow(/h has 10 values, expected 40/);
    const dims = args();
    dims[0] = 0;
    expect(() => nat.forward(...dims)).toThrow(/must be integers/);
  });
});
