/**
 * Starts the offscreen document (entrypoints/offscreen/): answers the background over the offscreen
 * channel and runs summaries in its one summary worker.
 */
import { OFFSCREEN_PROTOCOL_VERSION } from '../messaging/protocols/offscreen-protocol.ts';
import { serveOffscreen } from './offscreen-server.ts';
import { summaryWorkerLink } from './summary-worker-client.ts';

export function startOffscreen(): void {
  const summaries = summaryWorkerLink();
  serveOffscreen({
    'offscreen.ping': async () => ({ version: OFFSCREEN_PROTOCOL_VERSION }),
    'summary.run': (request) => summaries.summarise(request),
  });
  addEventListener('pagehide', () => summaries.close());
}
