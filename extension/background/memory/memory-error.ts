export type MemoryErrorCode = 'memory/too-new' | 'memory/fact-not-found' | 'memory/no-character' | 'memory/summary-not-found' | 'memory/deleted' | 'memory/message-not-found' | 'memory/already-pinned' | 'memory/message-too-long';

/** A memory action that could not be done; nothing was written. The panel shows `message`. */
export class MemoryError extends Error {
  constructor(readonly code: MemoryErrorCode, message: string) {
    super(message);
    this.name = 'MemoryError';
  }
}
