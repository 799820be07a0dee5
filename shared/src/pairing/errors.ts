/** Why a pairing secret or link was refused; the UI turns each into a readable sentence. */
export type PairingErrorCode =
  | 'pairing/not-a-link'
  | 'pairing/unsupported-version'
  | 'pairing/bad-secret'
  | 'pairing/bad-relay-url'
  | 'pairing/no-webcrypto';

export class PairingError extends Error {
  constructor(
    readonly code: PairingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PairingError';
  }
}
