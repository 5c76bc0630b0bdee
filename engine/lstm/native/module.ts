/**
 * The native LSTM kernel (lstm.c, a Node-API module) as the engine sees it: its exports, and
 * what a loader hands over. Building and loading it (a compiler, a cache on disk) is
 * services/native-lstm-build.ts's job; the engine only receives the loaded module.
 */

/** The module's exports (see lstm.c for layouts; callers must pass exactly sized arrays). */
export interface NativeLstmModule {
  /** keep: h, c, act, tc are the training trace; otherwise h is [B, H] and c, act, tc are null. */
  forward(
    B: number,
    T: number,
    F: number,
    H: number,
    x: Float32Array,
    kernel: Float32Array,
    recurrent: Float32Array,
    bias: Float32Array,
    keep: boolean,
    h: Float32Array,
    c: Float32Array | null,
    act: Float32Array | null,
    tc: Float32Array | null,
  ): void;
  backward(
    B: number,
    T: number,
    F: number,
    H: number,
    x: Float32Array,
    kernel: Float32Array,
    recurrent: Float32Array,
    h: Float32Array,
    c: Float32Array,
    act: Float32Array,
    tc: Float32Array,
    dhT: Float32Array,
    dx: Float32Array,
    dK: Float32Array,
    dR: Float32Array,
    db: Float32Array,
  ): void;
  /** Instruction set the kernel was compiled for: avx512, avx2 or sse. */
  isa(): string;
}

/** A loaded kernel and where it came from. */
export interface NativeLstmLoad {
  module: NativeLstmModule;
  /** The loaded .node file. */
  file: string;
  /** False when it came from the cache. */
  compiled: boolean;
}
