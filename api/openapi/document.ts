/**
 * The OpenAPI 3.1 document of the API, built from the route list (routes.ts) and its zod
 * schemas. Zod writes JSON Schema draft 2020-12, which is OpenAPI 3.1's schema dialect, so every
 * request and response schema lands in components.schemas as zod wrote it. Roles come from the
 * route table (api/auth/policy.ts).
 */
import { z } from 'zod';
import { ROUTE_POLICY, type RoutePolicy } from '../auth/policy.js';
import { errorResponse } from '../schemas.js';
import { PAGE_LIMIT } from '../pagination.js';
import { COMMON_CODES, ROUTES, type Answer, type RouteSpec } from './routes.js';

type Json = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'invalid request',
  401: 'no usable bearer token',
  403: "the token's role or scopes do not allow it",
  404: 'not found',
  409: 'conflict with the current state',
  413: 'request body too large',
  415: 'request body is not application/json',
  422: 'unprocessable',
  429: 'too many requests from this token (Retry-After says when to retry)',
  500: 'unexpected error (logged; the answer quotes nothing)',
  503: 'Postgres or Temporal is unreachable; retry after Retry-After seconds',
};

/** `/plans/:id` → `/plans/{id}`; `*id` holds several segments and is written as one parameter. */
export const openApiPath = (expressPath: string) => expressPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/** `get /plans/:id/items/:candidateId/forecast` → getPlansIdItemsCandidateIdForecast. */
const operationId = (r: RouteSpec) => r.method + (pascal(r.path.replace(/[:*]/g, '')) || 'Root');

function policyOf(r: RouteSpec): RoutePolicy | undefined {
  return ROUTE_POLICY.find((p) => p.route === `${r.method.toUpperCase()} ${r.path}`);
}

/** Every error code the document lists, in one enum for the error shape. */
function allCodes(): [string, ...string[]] {
  const codes = new Set<string>(Object.values(COMMON_CODES).flat());
  for (const r of ROUTES) for (const a of Object.values(r.answers)) for (const c of a.codes ?? []) codes.add(c);
  return [...codes].sort() as [string, ...string[]];
}

/**
 * Converts the schemas of one direction (request bodies are read as input: defaults optional;
 * answers as output) into components, each by its name.
 */
function components(named: Map<string, z.ZodType>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // Components are not standalone documents: no $schema or $id of their own.
    const { $schema: _s, $id: _i, ...rest } = schema as Json;
    out[id] = rest;
  }
  return out;
}

/** A parameter's schema, inline (path and query parameters are plain strings and numbers). */
const inlineSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input'): Json => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
};

export function buildOpenApiDocument(info: { version: string }): Json {
  const outputs = new Map<string, z.ZodType>();
  const inputs = new Map<string, z.ZodType>();
  const codes = allCodes();
  outputs.set('Error', errorResponse(codes));
  const responseName = (r: RouteSpec, status: number) => r.names?.[status] ?? `${pascal(operationId(r))}${status}`;

  const paths: Record<string, Record<string, Json>> = {};
  for (const r of ROUTES) {
    const policy = policyOf(r);
    const isPublic = policy?.role === 'public';
    const parameters: Json[] = [];
    for (const [name, schema] of Object.entries(r.params ?? {}))
      parameters.push({ name, in: 'path', required: true, description: schema.description, schema: inlineSchema(schema) });
    for (const [name, schema] of Object.entries(r.query?.shape ?? {})) {
      const s = schema as z.ZodType;
      parameters.push({ name, in: 'query', required: false, description: s.description, schema: inlineSchema(s) });
    }
    for (const [name, h] of Object.entries(r.headers ?? {})) parameters.push({ name, in: 'header', required: h.required, description: h.description, schema: inlineSchema(h.schema) });

    const responses: Record<string, Json> = {};
    const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    for (const [statusText, a] of Object.entries(r.answers) as Array<[string, Answer]>) {
      const status = Number(statusText);
      if (a.codes) responses[statusText] = errorAnswer(`${a.description} (${a.codes.join(', ')})`);
      else if (a.schema) {
        const name = responseName(r, status);
        const known = outputs.get(name);
        if (known && known !== a.schema) throw new Error(`two answer schemas are named ${name}`);
        outputs.set(name, a.schema);
        responses[statusText] = { description: a.description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
      } else if (a.mediaType) responses[statusText] = { description: a.description, content: { [a.mediaType]: { schema: { type: 'string' } } } };
      else responses[statusText] = { description: a.description };
    }
    const generic = (status: number, codesHere: readonly string[]) => {
      if (!responses[status]) responses[status] = errorAnswer(`${STATUS_TEXT[status]} (${codesHere.join(', ')})`);
    };
    if (!isPublic) {
      generic(401, ['auth.missing_token', 'auth.invalid_token']);
      generic(403, ['auth.forbidden']);
      generic(429, ['request.rate_limited']);
    }
    if (r.body) {
      generic(400, ['request.invalid_json']);
      generic(413, ['request.too_large']);
      generic(415, ['request.unsupported_media_type']);
    }
    generic(500, ['internal']);
    if (!isPublic) generic(503, COMMON_CODES.service);

    let requestBody: Json | undefined;
    if (r.body) {
      const known = inputs.get(r.body.name);
      if (known && known !== r.body.schema) throw new Error(`two request schemas are named ${r.body.name}`);
      inputs.set(r.body.name, r.body.schema);
      requestBody = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${r.body.name}` } } } };
    }

    const role = policy?.role ?? 'admin';
    const operation: Json = {
      operationId: operationId(r),
      tags: [r.tag],
      summary: r.summary,
      description: [r.description, isPublic ? 'No token needed.' : `Needs a bearer token with the **${role}** role or higher.`].filter(Boolean).join('\n\n'),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
      security: isPublic ? [] : [{ bearerAuth: [] }],
      'x-required-role': role,
    };
    (paths[openApiPath(r.path)] ??= {})[r.method] = operation;
  }

  const outputSchemas = components(outputs, 'output');
  const inputSchemas = components(inputs, 'input');
  for (const name of Object.keys(inputSchemas)) if (outputSchemas[name]) throw new Error(`schema name ${name} is both a request and an answer`);

  return {
    openapi: '3.1.0',
    info: {
      title: 'launchloop API',
      version: info.version,
      description:
        'Plans new-product launches: scopes and their rules, the planning loop and replans, plans with their launch curves, approvals, reorders and schedules. ' +
        'Every error answer is `{"error": {"code", "message", "details?"}}` with a stable code (the `Error` schema lists them). ' +
        `List endpoints page with \`?limit=\` (1–${PAGE_LIMIT.max}, default ${PAGE_LIMIT.default}) and \`?cursor=\` (the previous page's \`nextCursor\`), answering \`{items, nextCursor}\`. ` +
        'Sign in with `Authorization: Bearer <token>`; the token\'s role (viewer < merchandiser < planner < admin) and scopes decide what it may do. More in docs/api.md.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'plans', description: 'Plans, their items, launch curves and decisions' },
      { name: 'runs', description: 'The planning loop, replans and sales feedback' },
      { name: 'scopes', description: 'Scopes, their rules and models' },
      { name: 'reorders', description: 'In-season reorders of launched items' },
      { name: 'schedules', description: 'Retraining schedules' },
      { name: 'tokens', description: 'API tokens (admin)' },
      { name: 'page', description: 'The merchandiser page and the reads only it needs' },
      { name: 'service', description: 'Health, metrics and this description' },
    ],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API token (`launchloop tokens create`)' } },
      schemas: { ...outputSchemas, ...inputSchemas },
    },
  };
}
