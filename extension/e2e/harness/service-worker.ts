/**
 * Stops the extension's service worker as Chrome does after ~30 s idle, through the DevTools protocol.
 * Only the extension's worker: the page's own service worker (NextChat has one) keeps running, so a
 * measurement against a page without the extension stays fair.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** How long to wait for the DevTools protocol to report the worker's state. */
const WORKER_STATE_TIMEOUT_MS = 10_000;

interface WorkerVersion { versionId: string; scriptURL: string; runningStatus: string }

export async function stopExtensionWorker(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  try {
    const versions = new Map<string, WorkerVersion>();
    let changed = () => {};
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }: { versions: WorkerVersion[] }) => {
      for (const v of updated) if (v.scriptURL.startsWith('chrome-extension://')) versions.set(v.versionId, v);
      changed();
    });
    const until = (check: () => boolean, what: string) => new Promise<void>((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => reject(new Error(`service worker: ${what} within ${WORKER_STATE_TIMEOUT_MS} ms`)), WORKER_STATE_TIMEOUT_MS);
      changed = () => { if (check()) { clearTimeout(timer); resolve(); } };
    });
    await cdp.send('ServiceWorker.enable');
    await until(() => versions.size > 0, 'the extension\'s worker was not reported');
    const running = [...versions.values()].filter((v) => v.runningStatus !== 'stopped');
    for (const v of running) await cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId });
    await until(() => running.every((v) => versions.get(v.versionId)?.runningStatus === 'stopped'), 'the extension\'s worker did not stop');
  } finally {
    await cdp.detach().catch(() => {});
  }
}
