/** How many offscreen documents an extension's Chromium has open, for the Chromium benches' memory rows. */
import type { Page } from 'playwright-core';

/**
 * Counts the offscreen documents of `page`'s browser, asked of the browser through the DevTools
 * protocol: asking the extension's service worker would wake it, which is part of what is measured.
 */
export async function offscreenDocuments(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { url: string }[] };
    return targetInfos.filter((t) => t.url.endsWith('/offscreen.html')).length;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
