/**
 * Which unpacked build the Chromium benches load: the end-to-end build (`pnpm build:e2e`), or the
 * folder named by BENCH_EXTENSION_DIR, so a bench can run a private build (another checkout, an older
 * commit for a before/after) without touching this checkout's dist/.
 */
import { resolve } from 'node:path';
import { EXTENSION_DIR } from '../e2e/tests/troupe-page.ts';

export const BENCH_EXTENSION_DIR = process.env.BENCH_EXTENSION_DIR ? resolve(process.env.BENCH_EXTENSION_DIR) : EXTENSION_DIR;
