import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { logger } from '../../services/logger.js';
import { createApp } from '../app.js';
import { buildOpenApiDocument, openApiPath } from './document.js';
import { ROUTES } from './routes.js';

type Operation = { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>; requestBody?: unknown; 'x-required-role'?: string };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

const document = buildOpenApiDocument({ version: '0.0.0-test' }) as unknown as Document;

/**
 * The app over stand-ins that are never called: building it registers every route, which is
 * all this reads. No Postgres, no Temporal.
 */
function app() {
  const database = { db: {}, sql: () => Promise.reject(new Error('not connected')), close: async () => {} } as unknown as Database;
  const client = { connection: {}, options: { namespace: 'default' } } as never;
  return createApp({ database, client, logger: logger.child({}, { level: 'silent' }) });
}

/** `METHOD /path` of every route the Express app registers, through its mounted routers. */
function expressRoutes(): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app() as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the app registers, and no route it does not', () => {
    const registered = new Set(expressRoutes());
    const documented = new Set(ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`));
    const undocumented = [...registered].filter((r) => !documented.has(r));
    // The message says what to do: one line per route in api/openapi/routes.ts.
    expect(undocumented, `add these routes to ROUTES in api/openapi/routes.ts`).toEqual([]);
    expect([...documented].filter((r) => !registered.has(r)), 'routes in api/openapi/routes.ts that the app does not register').toEqual([]);
    for (const r of ROUTES) expect(document.paths[openApiPath(r.path)]?.[r.method], `${r.method} ${r.path}`).toBeDefined();
  });

  it('needs a bearer token everywhere except the public routes, and names the role', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const plan = document.paths['/plans/{id}'].get;
    expect(plan.security).toEqual([{ bearerAuth: [] }]);
    expect(plan['x-required-role']).toBe('viewer');
    expect(document.paths['/plans/{id}/approve'].post['x-required-role']).toBe('merchandiser');
    expect(plan.responses['401'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(document.paths['/openapi.json'].get.security).toEqual([]);
  });

  it('lists the error codes in the error shape and refers every JSON answer to a component', () => {
    const error = document.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    const codes = error.properties.error.properties.code.enum;
    for (const code of ['plans.not_found', 'plans.item_not_found', 'plans.stale', 'auth.missing_token', 'auth.forbidden', 'request.invalid', 'service.database_unavailable', 'internal'])
      expect(codes).toContain(code);
    for (const [path, ops] of Object.entries(document.paths))
      for (const [method, op] of Object.entries(ops))
        for (const [status, answer] of Object.entries(op.responses)) {
          const ref = answer.content?.['application/json']?.schema.$ref;
          if (ref) expect(document.components.schemas[ref.replace('#/components/schemas/', '')], `${method} ${path} ${status}`).toBeDefined();
        }
  });

  it('documents the answers the handlers give for a malformed id and for stored rules that no longer validate', () => {
    // GET /reorders/abc is 400 request.invalid (api/routes/reorders.routes.ts numericId), as for plans.
    for (const path of ['/reorders/{id}', '/plans/{id}']) expect(Object.keys(document.paths[path].get.responses), path).toContain('400');
    expect(Object.keys(document.paths['/reorders/{id}/approve'].post.responses)).toContain('400');
    // GET rules answers invalid stored rules as POST /replans does (api/routes/scopes.routes.ts effectiveRules).
    expect(Object.keys(document.paths['/scopes/{group}/{region}/rules'].get.responses)).toContain('409');
  });

  it('tells expected sales and uncapped demand apart in the plan item schema', () => {
    const item = (document.components.schemas.GetPlansId200 as { properties: { items: { items: { properties: Record<string, { description?: string }> } } } }).properties.items.items.properties;
    expect(item.expectedUnits.description).toMatch(/SALES.*capped by the opening quantity/);
    expect(item.demand.description).toMatch(/uncapped DEMAND/);
  });

  it('is served at /openapi.json with the reference page at /docs, its assets from node_modules, without a token', async () => {
    const server = app().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const served = await fetch(`${base}/openapi.json`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toMatch(/application\/json/);
      expect(await served.json()).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument({ version: (await import('../../package.json', { with: { type: 'json' } })).default.version }))));
      const page = await fetch(`${base}/docs`);
      expect(page.status).toBe(200);
      const html = await page.text();
      for (const asset of ['docs/swagger-ui.css', 'docs/swagger-ui-bundle.js', 'docs/init.js']) {
        expect(html).toContain(asset);
        const res = await fetch(`${base}/${asset}`);
        expect([asset, res.status]).toEqual([asset, 200]);
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
      }
      expect((await fetch(`${base}/docs/package.json`)).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
