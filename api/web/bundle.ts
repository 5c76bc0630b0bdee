import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One served file of the page: its bytes, content type and a content hash for the ETag. */
export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The page's front end, folder `web/` at the repository root. */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * Bundles `web/main.ts` (and the CSS it imports, uPlot's included) in memory, so `npm ci && npm
 * run demo` serves the page with no build step to run and no CDN. esbuild takes ~0.1 s; the
 * API starts it once and every request for an asset waits on the same promise.
 */
export async function bundlePage(): Promise<Map<string, Asset>> {
  const result = await build({
    entryPoints: { app: `${WEB_DIR}main.ts` },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: 'es2020',
    outdir: '/assets',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const body = Buffer.from(file.contents);
    const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  return assets;
}
