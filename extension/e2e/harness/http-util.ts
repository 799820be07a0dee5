import type { IncomingMessage, Server } from 'node:http';
import { MAX_BODY_BYTES } from './limits.ts';

/** Error of the harness servers, with a code tests can branch on. */
export class HarnessError extends Error {
  constructor(readonly code: 'body-too-large' | 'timeout' | 'listen-failed' | 'closed', message: string) {
    super(message);
    this.name = 'HarnessError';
  }
}

/** Reads a whole request body as bytes, refusing bodies over MAX_BODY_BYTES. */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HarnessError('body-too-large', `request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Reads a whole request body as UTF-8, refusing bodies over MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** Listens on 127.0.0.1 (port 0 picks a free one) and resolves with the bound port. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new HarnessError('listen-failed', `cannot listen on 127.0.0.1:${port}: ${err.message}`)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new HarnessError('listen-failed', 'server has no TCP address'));
        return;
      }
      resolve(address.port);
    });
  });
}

/** Closes a server and every connection it still holds (keep-alive sockets would otherwise delay close). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Lower-cases header names and joins repeated values, so logs compare simply. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
