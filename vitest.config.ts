import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests run in parallel; integration tests share one Temporal dev
// server and one embedded Postgres started by the global setup, so they run in one fork.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{engine,data,api,cli,db,activities,workflows,services,contracts,architecture}/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
