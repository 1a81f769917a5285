import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string): string => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources of every workspace package, not their dist/.
    alias: {
      '@hms-sys/aggregator/local': fileURLToPath(new URL('./packages/aggregator/src/drivers/local/index.ts', import.meta.url)),
      '@hms-sys/aggregator/kubernetes': fileURLToPath(new URL('./packages/aggregator/src/drivers/kubernetes/index.ts', import.meta.url)),
      '@hms-sys/protocol': pkg('protocol'),
      '@hms-sys/common': pkg('common'),
      '@hms-sys/agent': pkg('agent'),
      '@hms-sys/aggregator': pkg('aggregator'),
      '@hms-sys/cli': pkg('cli'),
    },
  },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/e2e/**'], sequence: { groupOrder: 0 } },
      },
      {
        // End-to-end files start whole stacks of real processes and some measure CPU against the
        // kernel: each runs alone, after the parallel batch, so they never compete for the 2 cores.
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
