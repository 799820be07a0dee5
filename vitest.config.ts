import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// One runner for every package's unit tests; end-to-end tests (e2e/) run under node:test with Playwright.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', root: 'shared', include: ['src/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'sync-server', root: 'sync-server', include: ['src/**/*.test.ts'], environment: 'node' } },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'extension',
          include: ['extension/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['extension/test-setup.ts'],
        },
      },
    ],
  },
});
