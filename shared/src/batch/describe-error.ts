/**
 * The stable code and the message of any error, for a per-item result of a batch: typed errors carry
 * a `code` (CardError, LibraryError, SillyTavernError…); anything else gets `fallback`.
 */
export function describeError(error: unknown, fallback: string): { code: string; message: string } {
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : fallback;
  const message = error instanceof Error ? error.message : String(error);
  return { code, message };
}
