import { isPackError } from '@troupe/shared/packs';
import { packErrorMessage, type PacksErrorCode } from '../../messaging/pack-errors.ts';

/** A pack operation that failed: a stable code (messaging/pack-errors.ts) and the sentence for it, with the detail that helps. */
export class PacksError extends Error {
  override readonly name = 'PacksError';
  constructor(readonly code: PacksErrorCode, detail?: string) {
    super(detail ? `${packErrorMessage(code)} (${detail})` : packErrorMessage(code));
  }
}

/**
 * Any failure of a pack operation as a PacksError: a PackError keeps its code (a refused card says
 * which one and why); a PacksError passes through; anything else is rethrown as is.
 */
export function asPacksError(error: unknown): PacksError {
  if (error instanceof PacksError) return error;
  if (isPackError(error)) {
    const where = error.item ? `${error.item}: ` : '';
    const detail = error.code === 'pack/bad-card' || error.code === 'pack/bad-asset' || error.code === 'pack/too-many' || error.code === 'pack/too-large' ? `${where}${error.message}` : undefined;
    return new PacksError(error.code, detail);
  }
  throw error;
}
