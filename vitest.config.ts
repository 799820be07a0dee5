import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// One runner for every package's tests. `unit` projects run in parallel; the `e2e` project drives a real
// Chromium with the built extension and runs one file at a time (2 cores, one browser at once).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', root: 'shared', include: ['src/**/*.test.ts'], environment: 'node', setupFiles: ['src/test-setup.ts'] } },
      { test: { name: 'house', include: ['scripts/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'sync-server', root: 'sync-server', include: ['src/**/*.test.ts'], environment: 'node' } },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'extension',
          include: ['extension/**/*.test.{ts,tsx}'],
          // The e2e tests and the stage page run in the e2e project; the harness's own tests run here.
          exclude: ['extension/e2e/tests/**', 'extension/e2e/stage/**'],
          environment: 'happy-dom',
          setupFiles: ['extension/test-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['extension/e2e/tests/**/*.e2e.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
