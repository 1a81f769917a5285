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
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests start real processes and bind loopback ports; keep the machine breathing.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
