/**
 * The summary worker: started once by the offscreen document (summary-worker-client.ts) and driven
 * through comlink. Runs each job with runSummaryJob: the model when an endpoint is given, else (or
 * when it fails) the local extractive summariser, with the chat's tokenizer loaded from the
 * extension's own files.
 */
import { expose } from 'comlink';
import { tokenizerFor } from '@troupe/shared/tokens';
import type { SummaryRequest, SummaryResult } from '../messaging/protocols/offscreen-protocol.ts';
import { runSummaryJob } from './summary-job.ts';
import { loadTokenizerTables } from '../messaging/tokenizer-tables.ts';

/** What the worker exposes over comlink. */
export interface SummaryWorkerApi {
  summarise(request: SummaryRequest): Promise<SummaryResult>;
}

loadTokenizerTables(self.location.origin);

const api: SummaryWorkerApi = {
  summarise: (request) => runSummaryJob(request, { tokenizerFor, fetch: (input, init) => fetch(input, init) }),
};

expose(api);
