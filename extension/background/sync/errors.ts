/** Sync's errors, each with a stable code the UI can rely on. */
export type SyncErrorCode = 'sync/bad-relay-url' | 'sync/blob-refused' | 'sync/pairing-unreadable';

export class SyncError extends Error {
  constructor(readonly code: SyncErrorCode, message: string) {
    super(message);
    this.name = 'SyncError';
  }
}
