import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowTracingSinks } from '../workers/telemetry.js';
import { workflowBundle } from '../workers/workflow-worker.js';

/**
 * Histories recorded from real runs (`UPDATE_HISTORIES=1 npx vitest run test/loop.test.ts`) must
 * replay against the current workflow code: a change that would break running workflows fails
 * here and needs `patched()` instead.
 */
const dir = fileURLToPath(new URL('./__histories__/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.binpb'));

describe('workflow replay', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('replays %s', async (file) => {
    const history = temporal.api.history.v1.History.decode(readFileSync(`${dir}${file}`));
    // The file name is the workflow id ('/' written as '~'): workflows may derive names from it.
    // The bundle carries the OpenTelemetry workflow interceptors: give them their sink as workers do.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks: await workflowTracingSinks() }, history, file.replace(/\.binpb$/, '').replaceAll('~', '/'));
  }, 120_000);
});
