/**
 * Voice: the pure pieces the offscreen audio uses. Streamed replies split into speakable segments,
 * the echo gate that tells the user's voice from Troupe's own playback, and a character's voice
 * settings as stored in its card.
 */
export { isVoiceError, VoiceError, type VoiceErrorCode } from './errors.ts';
export {
  BARGE_IN_MIN_ENERGY,
  BARGE_IN_PROBABILITY,
  BARGE_IN_SUSTAIN_MS,
  CLAUSE_CUT_MIN_SHARE,
  DEFAULT_END_OF_TURN_MS,
  ECHO_TAIL_MS,
  MAX_END_OF_TURN_MS,
  MAX_REPLY_WAIT_MS,
  MIN_END_OF_TURN_MS,
  MIN_UTTERANCE_MS,
  PRE_ROLL_MS,
  VAD_END_PROBABILITY,
  VAD_START_PROBABILITY,
  MAX_MARKUP_LOOKAHEAD,
  MAX_SEGMENT_CHARS,
  MAX_TRANSCRIPT_CHARS,
  MAX_VOICE_ID_CHARS,
  MAX_VOICE_SPEED,
  MIN_SEGMENT_CHARS,
  MIN_VOICE_SPEED,
  SPEECH_PROBABILITY,
} from './limits.ts';
export { DEFAULT_READING_OPTIONS, READING_OPTION_KEYS, type ReadingOptions } from './reading-options.ts';
export {
  createSentenceStream,
  splitSpeech,
  type SentenceStream,
  type SentenceStreamOptions,
  type Speaker,
  type SpeechSegment,
} from './sentence-stream.ts';
export {
  createEchoGate,
  type EchoGate,
  type EchoGateOptions,
  type EchoGateSnapshot,
  type EchoVerdict,
  type VadReading,
} from './echo-gate.ts';
export {
  readVoiceSettings,
  TROUPE_EXTENSION_KEY,
  VOICE_KEY,
  VOICE_PROVIDERS,
  VOICE_SETTINGS_FORMAT,
  voiceSettingsErrors,
  withVoiceSettings,
  type VoiceChoice,
  type VoiceProvider,
  type VoiceSettings,
  type VoiceSettingsRead,
} from './voice-settings.ts';
export {
  ELEVENLABS_API,
  ELEVENLABS_DEFAULT_MODEL,
  ELEVENLABS_MAX_SPEED,
  ELEVENLABS_MIN_SPEED,
  speechHttpRequest,
  speechUrl,
  type SpeechEndpoint,
  type SpeechHttpRequest,
} from './speech-request.ts';
export { speechFailure, withoutKeys } from './speech-failure.ts';
export {
  clipFileName,
  readTranscription,
  transcriptionTarget,
  transcriptionUrl,
  type TranscriptionErrorCode,
  type TranscriptionResult,
} from './transcription.ts';
export { createCallTurns, type CallAction, type CallPhase, type CallTurns, type CallTurnsOptions } from './call-turns.ts';
export { encodeWav16, rms } from './wav.ts';
