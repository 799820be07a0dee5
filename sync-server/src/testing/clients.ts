import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { joinProtocols } from '@troupe/shared/protocol';

/** A y-websocket client as the extension will run it: unchanged provider, token in the subprotocols. */
export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes the provider saw, in order. */
  closeCodes: number[];
  destroy(): void;
}

/** Connects a WebsocketProvider to `${baseUrl}/sync/${room}` (Node needs the ws polyfill and no BroadcastChannel). */
export function connectClient(baseUrl: string, room: string, token: string, options: { doc?: Y.Doc; maxBackoffTime?: number } = {}): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    protocols: joinProtocols(token),
    maxBackoffTime: options.maxBackoffTime ?? 100,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code);
  });
  return {
    doc,
    provider,
    closeCodes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** A raw WebSocket to the relay, recording frames and the close code; for protocol-level tests. */
export interface RawClient {
  socket: WebSocket;
  frames: Uint8Array[];
  /** Set once closed. */
  closed: { code: number; reason: string } | null;
  opened: Promise<void>;
  send(frame: Uint8Array | string): void;
}

export function connectRaw(baseUrl: string, room: string, protocols: string[]): RawClient {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/sync/${room}`, protocols);
  socket.binaryType = 'arraybuffer';
  const client: RawClient = {
    socket,
    frames: [],
    closed: null,
    opened: new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    }),
    send(frame) {
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
    },
  };
  socket.on('error', () => {});
  socket.on('message', (data: ArrayBuffer) => client.frames.push(new Uint8Array(data)));
  socket.on('close', (code, reason) => {
    client.closed = { code, reason: reason.toString() };
  });
  return client;
}
