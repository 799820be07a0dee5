import { afterEach, describe, expect, it, vi } from 'vitest';
import { expose } from 'comlink';
import type { SummaryRequest, SummaryResult } from '../messaging/protocols/offscreen-protocol.ts';
import { summaryWorkerLink, type WorkerHandle } from './summary-worker-client.ts';
import type { SummaryWorkerApi } from './summary-worker.ts';

const request: SummaryRequest = { jobId: 'j1', messages: [{ id: 'm1', role: 'user', name: 'Rowan', text: 'Hello.' }], targetTokens: 50, model: 'gpt-4o-mini', endpoint: null };
const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** A worker made of a MessageChannel: comlink on both ends, as in the offscreen document; `crash` fires its error event. */
function fakeWorker(api: SummaryWorkerApi) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  expose(api, port2);
  port1.start();
  const errors = new EventTarget();
  let terminated = false;
  const handle: WorkerHandle = {
    postMessage: (message, transfer) => port1.postMessage(message, transfer),
    addEventListener: (type, listener) => (type === 'error' ? errors.addEventListener(type, listener as EventListener) : port1.addEventListener(type, listener as EventListener)),
    removeEventListener: (type, listener) => (type === 'error' ? errors.removeEventListener(type, listener as EventListener) : port1.removeEventListener(type, listener as EventListener)),
    terminate: () => {
      terminated = true;
    },
  };
  return { handle, crash: (message: string) => errors.dispatchEvent(Object.assign(new Event('error'), { message })), terminated: () => terminated };
}

describe('summaryWorkerLink', () => {
  it('starts one worker on the first job and sends every job to it', async () => {
    const spawned: ReturnType<typeof fakeWorker>[] = [];
    const link = summaryWorkerLink(() => {
      const worker = fakeWorker({ summarise: async (r) => ({ jobId: r.jobId, text: 'x', tokens: 1, source: 'local', messageIds: ['m1'] }) });
      spawned.push(worker);
      return worker.handle;
    });
    expect(spawned).toHaveLength(0);
    const [a, b] = await Promise.all([link.summarise(request), link.summarise({ ...request, jobId: 'j2' })]);
    expect([a.jobId, b.jobId]).toEqual(['j1', 'j2']);
    expect(spawned).toHaveLength(1);
    link.close();
    expect(spawned[0]!.terminated()).toBe(true);
  });

  it('fails the jobs of a worker that stopped, instead of leaving them waiting, and starts a new worker for the next', async () => {
    const spawned: ReturnType<typeof fakeWorker>[] = [];
    let answer = false;
    let received = 0;
    const link = summaryWorkerLink(() => {
      const worker = fakeWorker({
        summarise: (r) => {
          received += 1;
          return answer ? Promise.resolve<SummaryResult>({ jobId: r.jobId, text: '', tokens: 0, source: 'local', messageIds: [] }) : new Promise(() => {});
        },
      });
      spawned.push(worker);
      return worker.handle;
    });
    const stuck = link.summarise(request);
    // The job is with the worker when it crashes.
    await vi.waitFor(() => expect(received).toBe(1));
    spawned[0]!.crash('out of memory');
    await expect(stuck).rejects.toMatchObject({ code: 'summary/worker-failed', message: 'The summary worker stopped: out of memory.' });
    expect(spawned[0]!.terminated()).toBe(true);
    answer = true;
    await expect(link.summarise(request)).resolves.toMatchObject({ jobId: 'j1' });
    expect(spawned).toHaveLength(2);
  });
});
