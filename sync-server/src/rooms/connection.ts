/**
 * What the relay core needs from a transport: send a frame, close with a code, and say how much is
 * still queued. The Hono route adapts a WebSocket to it; tests use an in-memory pair.
 */
export interface Connection {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes handed to `send` and not yet written to the network. */
  bufferedAmount(): number;
}
