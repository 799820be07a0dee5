import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The extension's source lives in extension/; this file only wires WXT to it.
export default defineConfig({
  srcDir: 'extension',
  outDir: 'dist',
  manifestVersion: 3,
  browser: 'chrome',
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: 'Troupe',
    description: 'SillyTavern-style characters, lorebooks and memory on any NextChat page.',
    permissions: ['storage', 'scripting'],
    // Self-hosted NextChat usually runs here; other origins are granted at run time from the options page.
    host_permissions: ['http://localhost/*', 'http://127.0.0.1/*'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    action: { default_title: 'Troupe' },
  },
});
