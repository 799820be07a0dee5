export type DocErrorCode = 'doc/too-new' | 'doc/invalid-field' | 'doc/bad-blob'
  // A chat memory write refused for a limit (docs/limits.ts): nothing of it was written.
  | 'doc/too-many-messages' | 'doc/message-too-long' | 'doc/too-many-summaries' | 'doc/summary-too-long'
  | 'doc/too-many-facts' | 'doc/fact-too-long' | 'doc/chat-memory-full';

/** A Y.Doc whose layout this code cannot read. The UI turns `code` into a readable message. */
export class DocError extends Error {
  constructor(readonly code: DocErrorCode, message: string) {
    super(message);
    this.name = 'DocError';
  }
}
