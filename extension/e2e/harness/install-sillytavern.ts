/**
 * Installs the pinned SillyTavern into the test cache before the end-to-end tests run, so no test hook
 * has to wait minutes for npm and webpack. Safe to run repeatedly (a finished install is reused) and
 * concurrently (one install runs, the others wait).
 *   pnpm exec tsx extension/e2e/harness/install-sillytavern.ts
 */
import { ensureSillyTavernInstalled, ST_VERSION, stCacheRoot } from './sillytavern.ts';

const started = Date.now();
try {
  const install = await ensureSillyTavernInstalled({ log: (line) => console.log(`  ${line}`) });
  console.log(`SillyTavern ${ST_VERSION} ready in ${install.packageDir} (${Math.round((Date.now() - started) / 1000)} s)`);
} catch (err) {
  console.error(`Could not install SillyTavern ${ST_VERSION} into ${stCacheRoot()}:`, err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
