import { PACK_RELAY_ERRORS, type PackRelayErrorCode } from '@troupe/shared/packs';

/**
 * Why the relay refused a pack request. Each code has one HTTP status (PACK_RELAY_ERRORS in
 * @troupe/shared/packs, which the extension reads too); the routes answer
 * `{ error: { code, message } }` with it.
 */
export class PackRelayFailure extends Error {
  override readonly name = 'PackRelayFailure';
  readonly status: number;

  constructor(
    readonly code: PackRelayErrorCode,
    message: string,
    /** Seconds to wait, for `pack/rate-limited`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.status = PACK_RELAY_ERRORS[code];
  }
}
