/**
 * Builds and loads the native LSTM kernel (lstm.c, a Node-API module) without node-gyp:
 * `gcc -O3 -march=native -shared -fPIC` against the headers that ship with Node, once per
 * (source, flags, compiler, Node ABI, CPU), into a cache outside the repository
 * (`~/.cache/launchloop/native/<hash>.node`, the same cache root as services/paths.ts).
 * Building is synchronous (about 2 s, once per machine) so that backend selection can do it.
 * The engine (engine/lstm) receives the loaded module; it never compiles or reads files.
 *
 * Every failure (no compiler, no headers, compile error, load error) is thrown as an Error
 * whose message says which step failed; engine/lstm/kernel.ts turns that into a logged
 * fallback to the tfjs path.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeLstmLoad, NativeLstmModule } from '../engine/lstm/index.js';
import { engineOptions } from './engine-options.js';

export interface NativeBuildOptions {
  /** C compiler; default env CC, else `gcc` (services/engine-options.ts). */
  compiler?: string;
  /** Default `<LAUNCHLOOP_CACHE_DIR or ~/.cache/launchloop>/native`. */
  cacheDir?: string;
  /** Default engine/lstm/native/lstm.c. */
  source?: string;
  /** Folder holding node_api.h; default `<node prefix>/include/node`. */
  nodeInclude?: string;
}

export const NATIVE_FLAGS = ['-O3', '-march=native', '-std=gnu11', '-shared', '-fPIC'];

function defaultNodeInclude(): string {
  return path.resolve(path.dirname(realpathSync(process.execPath)), '..', 'include', 'node');
}

/** -march=native code is only valid on a CPU with the same features: they are part of the key. */
function cpuFeatures(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return (/^flags\s*:(.*)$/m.exec(info)?.[1] ?? '').trim();
  } catch {
    return '';
  }
}

function firstLines(err: unknown): string {
  const e = err as { stderr?: Buffer | string; message?: string };
  const text = (e.stderr ? String(e.stderr) : '') || e.message || String(err);
  return text.trim().split('\n').slice(0, 3).join(' | ');
}

/** Builds (or finds in the cache) and loads the kernel; throws with the failed step's reason. */
export function buildNativeLstm(o: NativeBuildOptions = {}): NativeLstmLoad {
  const defaults = engineOptions().nativeBuild;
  const compiler = o.compiler ?? defaults.compiler;
  const source = o.source ?? fileURLToPath(new URL('../engine/lstm/native/lstm.c', import.meta.url));
  const include = o.nodeInclude ?? defaultNodeInclude();
  const cacheDir = o.cacheDir ?? defaults.cacheDir;
  if (!existsSync(path.join(include, 'node_api.h'))) throw new Error(`Node headers not found (${path.join(include, 'node_api.h')})`);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (err) {
    throw new Error(`kernel source not readable: ${firstLines(err)}`);
  }
  const key = createHash('sha256')
    .update([text, NATIVE_FLAGS.join(' '), compiler, process.version, process.versions.modules, process.arch, process.platform, cpuFeatures()].join('\0'))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(cacheDir, `lstm-${key}.node`);
  const require = createRequire(import.meta.url);
  if (existsSync(file)) {
    try {
      return { module: require(file) as NativeLstmModule, file, compiled: false };
    } catch {
      // A truncated or foreign file: rebuild it below.
      rmSync(file, { force: true });
    }
  }
  mkdirSync(cacheDir, { recursive: true });
  // Concurrent builders (test workers, several worker processes) each write their own file and
  // rename it into place; rename is atomic, so a reader never sees a half-written module.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    execFileSync(compiler, [...NATIVE_FLAGS, '-I', include, source, '-o', tmp], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (err) {
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `compiler "${compiler}" not found` : `compile failed (${compiler}): ${firstLines(err)}`);
  }
  renameSync(tmp, file);
  try {
    return { module: require(file) as NativeLstmModule, file, compiled: true };
  } catch (err) {
    throw new Error(`built ${file} but could not load it: ${firstLines(err)}`);
  }
}
