import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { errors } from '../errors.js';
import { buildOpenApiDocument } from './document.js';

const require = createRequire(import.meta.url);

/** Swagger UI's files, served from the installed package (no CDN at run time). */
const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Started by a file of its own: the security headers' content policy allows scripts from this origin only. */
const INIT_JS = `window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>launchloop API reference</title>
  <link rel="icon" type="image/png" href="docs/favicon-32x32.png">
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui"></main>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
`;

/**
 * `GET /openapi.json` (built once at start from api/openapi/routes.ts) and `GET /docs`, the
 * reference page: Swagger UI reading that document, with an Authorize button for a bearer token.
 */
export function openApiRoutes(info: { version: string } = { version: (require('../../package.json') as { version: string }).version }): Router {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument(info));
  const cache = new Map<string, Buffer>();

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });

  router.get('/docs', (req, res) => {
    // Relative asset links resolve under /docs/ only without a trailing slash.
    if (req.path.endsWith('/')) return res.redirect(301, '/docs');
    res.type('html').send(PAGE);
  });

  router.get('/docs/:file', async (req, res) => {
    const file = req.params.file;
    if (file === 'init.js') return void res.type('text/javascript; charset=utf-8').send(INIT_JS);
    const type = SWAGGER_FILES[file];
    if (!type) throw errors.notFound('route.not_found', `no reference page asset ${file}`);
    let body = cache.get(file);
    if (!body) {
      body = await readFile(join(SWAGGER_DIR, file));
      cache.set(file, body);
    }
    res.set('Cache-Control', 'public, max-age=3600').type(type).send(body);
  });

  return router;
}
