import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundlePage, WEB_DIR } from './bundle.js';
import { temporalUiUrl } from './web.routes.js';

describe('the page bundle', () => {
  it('bundles web/main.ts into one script and one stylesheet (uPlot inside), with content ETags', async () => {
    const assets = await bundlePage();
    expect([...assets.keys()].sort()).toEqual(['app.css', 'app.js']);
    const js = assets.get('app.js')!;
    expect(js.type).toMatch(/^text\/javascript/);
    expect(js.body.toString()).toContain('launchloop.token');
    // uPlot's stylesheet comes in with the page's own.
    expect(assets.get('app.css')!.body.toString()).toMatch(/\.u-legend/);
    expect(js.etag).toMatch(/^"[\w-]{22}"$/);
  });

  it('type-checks web/ with its own tsconfig (DOM types, strict)', async () => {
    const run = promisify(execFile);
    const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', WEB_DIR], { cwd: new URL('../../', import.meta.url).pathname }).catch((err: { stdout: string; code: number }) => err);
    expect('code' in result ? result.stdout : '').toBe('');
  });

  it('links runs to the Temporal UI given by LAUNCHLOOP_TEMPORAL_UI_URL, else the local dev server UI', () => {
    expect(temporalUiUrl({})).toBe('http://127.0.0.1:8233');
    expect(temporalUiUrl({ LAUNCHLOOP_TEMPORAL_UI_URL: 'https://temporal.example.com/' })).toBe('https://temporal.example.com');
  });
});
