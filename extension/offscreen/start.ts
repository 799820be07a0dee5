/**
 * Starts the offscreen document (entrypoints/offscreen/): answers the background over the offscreen
 * channel, runs summaries in its one summary worker, and closes itself (worker first) when it has
 * been idle for OFFSCREEN_SELF_CLOSE_MS, in case the service worker that would close it is gone.
 */
import { OFFSCREEN_PROTOCOL_VERSION } from '../messaging/protocols/offscreen-protocol.ts';
import { closeWhenIdle } from './idle-close.ts';
import { serveOffscreen } from './offscreen-server.ts';
import { summaryWorkerLink } from './summary-worker-client.ts';

export function startOffscreen(): void {
  const summaries = summaryWorkerLink();
  const idle = closeWhenIdle(() => {
    summaries.close();
    window.close();
  });
  serveOffscreen({
    // A ping counts as activity: the host pings a document before it sends it work.
    'offscreen.ping': () => idle.during(async () => ({ version: OFFSCREEN_PROTOCOL_VERSION })),
    'summary.run': (request) => idle.during(() => summaries.summarise(request)),
  });
  addEventListener('pagehide', () => {
    idle.dispose();
    summaries.close();
  });
}
