/** Limits of voice messages (issue #12), with why each is what it is. */

/** Reply ids are the MAIN world's request ids (UUIDs, 36 characters). */
export const MAX_REPLY_ID = 64;
/** Sentences of one reply: MAX_REPLY_CHARS (~100k) over ~12-character segments stays below this. */
export const MAX_SPEAK_SEQ = 10_000;
/** Player events kept for the panel and tests: a few replies' worth. */
export const VOICE_PLAYBACK_LOG = 64;
/** Sentences queued in the player at most: beyond this a reply is far ahead of speech; older ones are dropped first. */
export const MAX_VOICE_QUEUE = 64;
/** Longest the Test button waits for the endpoint's audio. */
export const VOICE_TEST_TIMEOUT_MS = 15_000;
/** Longest one segment's TTS fetch may take before it counts as failed (a local Kokoro answers in ~0.3 s). */
export const SPEECH_FETCH_TIMEOUT_MS = 20_000;
/** Largest audio of one segment: ~200 characters of 24 kHz 16-bit WAV is ~1 MB; past this it is not speech. */
export const MAX_SEGMENT_AUDIO_BYTES = 8 * 1024 * 1024;

/**
 * The failed clip kept in the offscreen document for Retry (memory only): ~60 s of Opus at ~32 kbit/s is
 * ~250 KB, WAV 16 kHz mono ~2 MB; a larger clip is not kept (the person says it again).
 */
export const MAX_RETRY_CLIP_BYTES = 8 * 1024 * 1024;
/** A hold longer than this stops recording by itself (a stuck key or pointer must not record forever). */
export const MAX_HOLD_MS = 120_000;
/** Longest a transcription request may take (a whisper server on a CPU takes a few seconds a minute of speech). */
export const TRANSCRIPTION_TIMEOUT_MS = 25_000;

/** Hands-free events the offscreen document keeps for polls that come late (a restarted service worker): far more than a poll misses. */
export const HANDS_FREE_EVENT_LOG = 32;
/** Longest a hands-free poll is held open with nothing new: well under Chrome's 5-minute limit on a pending answer. */
export const HANDS_FREE_POLL_WAIT_MS = 20_000;
/**
 * A hands-free session nobody polls for this long is stopped by the offscreen document itself: the tab
 * that ran it closed or crashed, and the microphone must not stay open for no one. A poll is held at most
 * HANDS_FREE_POLL_WAIT_MS, so a live panel is never this long away.
 */
export const HANDS_FREE_ORPHAN_MS = 45_000;
/** The panel's pause before polling again after a failed poll (the service worker restarting). */
export const HANDS_FREE_RETRY_MS = 1_000;
