import { createToken, isRole, parseScopePatterns, TOKEN_ROLES, type TokenInfo } from '../../api/auth/tokens.js';
import { connect, migrateDatabase } from '../../db/client.js';
import { tokensRepository } from '../../db/repositories/tokens.repository.js';
import { osUserName, table } from '../api-client.js';
import { parseFlags, positiveInt, requireFlag, UsageError } from '../args.js';
import { resolveDatabaseUrl } from './db-url.js';

export const help = `usage: launchloop tokens create --name NAME --role ${TOKEN_ROLES.join('|')} [--scopes a/*,b/c] [--expires-days D] [--json]
       launchloop tokens list [--json]
       launchloop tokens revoke ID

API sign-in tokens, managed directly in the database (like seed and import; no running API
needed). Roles, each allowed what the ones before it are: viewer reads; merchandiser replans,
approves, rejects, sends sales feedback and edits promotions; planner sets scope rules,
schedules, models and runs; admin manages tokens. --scopes limits a token to those scopes
(patterns "group/region", "group/*", "*/region"; default every scope). The secret is printed
once, by create; only its hash is stored. Use it as "Authorization: Bearer <secret>",
LAUNCHLOOP_TOKEN for the plans and runs commands, or open the sign-in link it prints.
  --database-url URL   the database (default DATABASE_URL, else the local stack's)`;

const FLAGS = {
  'database-url': { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  scopes: { type: 'string' },
  'expires-days': { type: 'string' },
  json: { type: 'boolean' },
} as const;

function tokensTable(tokens: TokenInfo[], now = Date.now()): string {
  if (tokens.length === 0) return 'no tokens';
  const state = (t: TokenInfo) => (t.revokedAt ? 'revoked' : t.expiresAt && new Date(t.expiresAt).getTime() <= now ? 'expired' : 'active');
  const day = (v: string | null) => (v ? v.slice(0, 10) : '');
  return table(
    ['id', 'name', 'prefix', 'role', 'scopes', 'state', 'created', 'by', 'expires', 'last used'],
    tokens.map((t) => [String(t.id), t.name, `ll_${t.prefix}_…`, t.role, t.scopes?.join(',') || 'all', state(t), day(t.createdAt), t.createdBy, day(t.expiresAt), day(t.lastUsedAt)]),
    [0],
  );
}

/** `launchloop tokens create|list|revoke`. */
export async function run(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError(`tokens needs a subcommand: create, list or revoke\n\n${help}`);
  if (!['create', 'list', 'revoke'].includes(sub)) throw new UsageError(`unknown tokens subcommand "${sub}" (create, list or revoke)`);
  const { values, positionals } = parseFlags(rest, FLAGS);
  const createOnly = (['name', 'role', 'scopes', 'expires-days'] as const).find((f) => sub !== 'create' && values[f] !== undefined);
  if (createOnly) throw new UsageError(`--${createOnly} is a flag of tokens create, not tokens ${sub}`);
  if (positionals.length > (sub === 'revoke' ? 1 : 0)) throw new UsageError(`unexpected argument "${positionals[sub === 'revoke' ? 1 : 0]}" for tokens ${sub}`);

  // Everything the command line can get wrong is checked before the database is touched.
  let input: { name: string; role: (typeof TOKEN_ROLES)[number]; scopes: string[] | null; expiresInDays?: number } | undefined;
  let revokeId: number | undefined;
  if (sub === 'create') {
    const name = requireFlag(values.name, 'name').trim();
    const role = requireFlag(values.role, 'role');
    if (!isRole(role)) throw new UsageError(`--role must be one of ${TOKEN_ROLES.join(', ')}, got "${role}"`);
    let scopes: string[] | null;
    try {
      scopes = parseScopePatterns(values.scopes);
    } catch (err) {
      throw new UsageError(`--scopes: ${(err as Error).message}`);
    }
    const expiresInDays = values['expires-days'] === undefined ? undefined : positiveInt(values['expires-days'], 'expires-days');
    input = { name, role, scopes, expiresInDays };
  }
  if (sub === 'revoke') {
    const raw = positionals[0];
    if (raw === undefined) throw new UsageError('tokens revoke needs a token id, e.g. `launchloop tokens revoke 3` (ids: `launchloop tokens list`)');
    if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw new UsageError(`token id must be a positive integer, got "${raw}"`);
    revokeId = Number(raw);
  }

  const database = connect(resolveDatabaseUrl(values['database-url']), { max: 1 });
  try {
    await migrateDatabase(database);
    const tokens = tokensRepository(database);
    if (input) {
      const created = await createToken(tokens, { ...input, createdBy: `cli:${osUserName()}` });
      if (values.json) {
        console.log(JSON.stringify(created, null, 2));
        return;
      }
      const t = created.token;
      console.log(`token ${t.id} "${t.name}": ${t.role}, ${t.scopes ? `scopes ${t.scopes.join(', ')}` : 'every scope'}${t.expiresAt ? `, expires ${t.expiresAt}` : ''}`);
      console.log(`secret (shown once; only its hash is stored):\n  ${created.secret}`);
      console.log(`use it as: Authorization: Bearer <secret>  ·  LAUNCHLOOP_TOKEN=<secret>  ·  http://127.0.0.1:${process.env.PORT || '3000'}/#token=<secret>`);
    } else if (revokeId !== undefined) {
      const revoked = await tokens.revoke(revokeId);
      if (!revoked) throw new UsageError(`token ${revokeId} does not exist (ids: \`launchloop tokens list\`)`);
      console.log(`token ${revoked.id} "${revoked.name}" revoked at ${revoked.revokedAt}`);
    } else {
      const list = await tokens.list();
      console.log(values.json ? JSON.stringify({ tokens: list }, null, 2) : tokensTable(list));
    }
  } finally {
    await database.close();
  }
}
