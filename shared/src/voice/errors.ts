/** Every way voice settings or a sentence stream can be refused; the UI maps each code to a sentence. */
export type VoiceErrorCode =
  /** `troupe.voice` has a `format` newer than this build reads. */
  | 'voice/too-new'
  /** `troupe.voice` has no usable `format` (missing, not a positive integer). */
  | 'voice/unknown-format'
  /** `troupe.voice` (or `troupe`) is not an object. */
  | 'voice/not-an-object'
  | 'voice/bad-provider'
  | 'voice/bad-voice'
  | 'voice/bad-speed'
  | 'voice/bad-model'
  | 'voice/bad-reading'
  | 'voice/bad-narrator-voice'
  /** A sentence stream was given impossible limits, or used after `end()`. */
  | 'voice/bad-stream-use'
  /** The provider needs a device setting (speech endpoint, ElevenLabs key) that is not set, or is not spoken over HTTP. */
  | 'voice/no-endpoint';

/** The voice module's error: a stable `code`, the `path` of the field at fault (if any), a readable message. */
export class VoiceError extends Error {
  override readonly name = 'VoiceError';

  constructor(
    readonly code: VoiceErrorCode,
    message: string,
    readonly path = '',
  ) {
    super(message);
  }
}

/** True when `value` is a VoiceError, optionally with the given code. */
export function isVoiceError(value: unknown, code?: VoiceErrorCode): value is VoiceError {
  return value instanceof VoiceError && (code === undefined || value.code === code);
}
