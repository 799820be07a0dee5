/**
 * A relay process for the packs bench, started with IPC and --expose-gc so the bench can ask it for
 * its own memory after a full collection (an outside RSS reading alone cannot tell heap from caches).
 * Messages: 'memory' -> NodeJS.MemoryUsage; 'close' -> exits once the relay has closed.
 */
import { readConfig } from '../src/config.ts';
import { silentLog } from '../src/rooms/hooks.ts';
import { startServer } from '../src/server.ts';

const send = (message: unknown): void => void process.send?.(message);
const running = await startServer(readConfig(process.env), silentLog);
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

process.on('message', (message) => {
  if (message === 'memory') {
    collect();
    collect();
    send({ memory: process.memoryUsage() });
  } else if (message === 'close') {
    void running.close().then(() => process.exit(0));
  }
});
send({ url: running.url });
