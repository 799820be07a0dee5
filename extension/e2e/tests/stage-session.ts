import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, startStage, startTestLlm, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { EXTENSION_DIR } from './troupe-page.ts';

export interface StageParts { llm: TestLlm; stage: Stage; browser: Launched; page: Page }

/**
 * The usual end-to-end set-up as vitest hooks: one test LLM and NextChat stage page server for the
 * file; for each test a fresh Chromium with the built extension and one page, which `prepare` may
 * set up further (viewport, first URL), with `launch.extraArgs` for Chromium. `use` receives the parts before each test:
 *
 * @example
 * let page: Page; let llm: TestLlm;
 * stageSession((parts) => ({ page, llm } = parts));
 */
export function stageSession(use: (parts: StageParts) => void, prepare?: (parts: StageParts) => Promise<void>, launch: { extraArgs?: string[] } = {}): void {
  let llm: TestLlm | undefined;
  let stage: Stage | undefined;
  let browser: Launched | undefined;
  beforeAll(async () => {
    llm = await startTestLlm();
    stage = await startStage({ llmUrl: llm.url });
  });
  afterAll(async () => {
    await stage?.close();
    await llm?.close();
  });
  beforeEach(async () => {
    llm!.reset();
    browser = await launchChromium({ extensionDir: EXTENSION_DIR, ...launch });
    const parts = { llm: llm!, stage: stage!, browser, page: await browser.context.newPage() };
    await prepare?.(parts);
    use(parts);
  });
  afterEach(async () => {
    await browser?.close();
  });
}
