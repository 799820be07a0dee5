export type DocErrorCode = 'doc/too-new' | 'doc/invalid-field' | 'doc/bad-blob';

/** A Y.Doc whose layout this code cannot read. The UI turns `code` into a readable message. */
export class DocError extends Error {
  constructor(readonly code: DocErrorCode, message: string) {
    super(message);
    this.name = 'DocError';
  }
}
