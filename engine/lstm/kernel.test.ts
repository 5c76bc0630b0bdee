import { describe, expect, it } from 'vitest';
import { loadLstmKernel } from '../../services/lstm-runtime.js';
import { chooseLstmKernel, installedLstmKernel, installLstmKernel } from './kernel.js';
import type { NativeLstmLoad, NativeLstmModule } from './native/module.js';
import { referenceForward, selfCheck } from './native/self-check.js';

const unavailable = (why: string) => (): NativeLstmLoad => {
  throw new Error(why);
};

/** A module in plain JS (the self-check's own reference), so the choice is testable without a compiler. */
const jsModule: NativeLstmModule = {
  forward(B, T, F, H, x, k, r, b, keep, h) {
    const hT = referenceForward(B, T, F, H, x, k, r, b);
    (keep ? h.subarray(T * B * H) : h).set(hT);
  },
  backward() {
    throw new Error('not used by the self-check');
  },
  isa: () => 'js',
};

describe('LSTM kernel choice', () => {
  it('falls back to the tfjs path, with the loader\'s reason, when native cannot be loaded', () => {
    const k = chooseLstmKernel({ want: 'auto', loadNative: unavailable('compiler "cc" not found') });
    expect(k.choice.name).toBe('tfjs');
    expect(k.native).toBeUndefined();
    expect(k.choice.reason).toBe('native kernel unavailable: compiler "cc" not found');
  });

  it('a forced native kernel that cannot be loaded fails loudly instead of falling back', () => {
    expect(() => chooseLstmKernel({ want: 'native', loadNative: unavailable('no headers') })).toThrow(/native LSTM kernel forced but unavailable: no headers/);
  });

  it('uses a loaded module that passes the self-check, and says why', () => {
    const k = chooseLstmKernel({ want: 'auto', loadNative: () => ({ module: jsModule, file: '/cache/lstm-x.node', compiled: false }) });
    expect(k.native).toBe(jsModule);
    expect(k.choice).toEqual({ name: 'native', detail: 'native js (/cache/lstm-x.node)', reason: 'fastest available; cached build' });
    const forced = chooseLstmKernel({ want: 'native', forcedBy: 'forced by LAUNCHLOOP_LSTM_KERNEL', loadNative: () => ({ module: jsModule, file: 'f', compiled: false }) });
    expect(forced.choice.reason).toBe('forced by LAUNCHLOOP_LSTM_KERNEL; cached build');
  });

  it('rejects a module whose forward pass is wrong', () => {
    const wrong: NativeLstmModule = { ...jsModule, forward: (...a: Parameters<NativeLstmModule['forward']>) => a[9].fill(0.5) };
    const k = chooseLstmKernel({ want: 'auto', loadNative: () => ({ module: wrong, file: 'f', compiled: true }) });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/native kernel unavailable: self-check failed/);
  });

  it('keeps the tfjs path on the CUDA backend unless native is asked for, without loading it', () => {
    const k = chooseLstmKernel({ want: 'auto', backend: 'tensorflow-gpu', loadNative: unavailable('must not be called') });
    expect(k.choice.name).toBe('tfjs');
    expect(k.choice.reason).toMatch(/CUDA backend/);
  });

  it('tfjs can be forced and an unknown name is rejected', () => {
    expect(chooseLstmKernel({ want: 'tfjs', loadNative: unavailable('unused') }).choice).toEqual({ name: 'tfjs', detail: 'tfjs ops', reason: 'requested' });
    expect(() => chooseLstmKernel({ want: 'cuda', loadNative: unavailable('unused') })).toThrow(/must be one of/);
  });

  it('an installed kernel is the one reported', () => {
    const tfjs = chooseLstmKernel({ want: 'tfjs', loadNative: unavailable('unused') });
    expect(installLstmKernel(tfjs)).toBe(tfjs.choice);
    expect(installedLstmKernel()).toBe(tfjs.choice);
  });
});

// Only where the native kernel builds (gcc and Node headers present).
const built = loadLstmKernel({ prefer: 'auto' });
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
