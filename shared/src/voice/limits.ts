/** Limits and thresholds of voice (sentence splitting, the echo gate, stored voice settings), each with its reason. */

// ---- sentence-stream ---------------------------------------------------------------------------

/**
 * Longest segment sent to TTS. Speech runs at ~15 characters a second, so 200 characters are ~13 s of
 * audio: long enough that the next segment is synthesised while this one plays, short enough that a
 * run-on sentence (role-play replies have 400-character ones) does not hold back the first audio until
 * the model has streamed all of it. Longer sentences are cut at a clause (, ; : —) or, failing that, a space.
 */
export const MAX_SEGMENT_CHARS = 200;

/**
 * A run-on sentence is cut at its last clause mark only when that leaves at least this share of
 * MAX_SEGMENT_CHARS before the cut; otherwise at its last space. A comma five words in would make a
 * tiny segment followed at once by another long one.
 */
export const CLAUSE_CUT_MIN_SHARE = 0.5;

/**
 * Sentences shorter than this ("Oh.", "Yes!", "I see.") are not sent alone: they are held and spoken
 * together with the next sentence of the same speaker in the same paragraph. Each TTS request costs a
 * round trip and some engines (Kokoro, ElevenLabs) give a lone interjection odd prosody. The hold never
 * crosses a paragraph break, a change of speaker or the end of the reply, so "Oh." is never delayed by
 * a long stretch of narration that is not spoken; a line that does not end in . ! ? … (a heading, a
 * list item) is not held either, so it keeps its pause.
 */
export const MIN_SEGMENT_CHARS = 12;

/**
 * Most characters of markup the splitter looks ahead to decide what a mark is (a run of `*` or
 * backticks, a horizontal rule, an HTML tag, a list number). A decision never depends on more than
 * this, so a flood of `*` cannot make the splitter buffer a whole reply.
 */
export const MAX_MARKUP_LOOKAHEAD = 64;

// ---- echo-gate ----------------------------------------------------------------------------------

/**
 * How long after Troupe's playback stops a speech onset is still suspected to be its echo: the audio
 * output's own latency (Chromium's output buffer is 10-40 ms, Bluetooth up to ~200 ms) plus room
 * reverberation. 250 ms covers wired and most Bluetooth output; a real user who speaks at once still
 * gets through by the strong-speech rule (BARGE_IN_*), or as soon as the tail is over.
 */
export const ECHO_TAIL_MS = 250;

/**
 * VAD speech probability a frame needs to count as the user speaking over Troupe. Silero-style VADs
 * score direct speech into the microphone at 0.9+, while the residue of Troupe's own voice left after
 * the browser's echo cancellation mostly scores 0.3-0.7; 0.8 separates the two with margin.
 */
export const BARGE_IN_PROBABILITY = 0.8;

/**
 * RMS level (of float samples in [-1, 1]) a frame also needs, when the caller measures it, to count as
 * barge-in: about -34 dBFS. Echo residue after cancellation is typically below 0.01 (-40 dBFS); a voice
 * a few tens of centimetres from the microphone is 0.03-0.3.
 */
export const BARGE_IN_MIN_ENERGY = 0.02;

/**
 * How long strong frames must last, unbroken, before an onset during playback counts as the user. The
 * issue asks that speaking over the character stops its audio within 150 ms: with Silero's 32 ms frames
 * the fourth strong frame (96 ms after the first) decides, leaving ~50 ms for the VAD's own frame delay
 * and for stopping the audio. Shorter lets a cough or a loud echo burst cut the character off.
 */
export const BARGE_IN_SUSTAIN_MS = 80;

/**
 * Probability at which a frame is speech at all (Silero's usual threshold). A suspected-echo utterance
 * that still has speech frames after playback and its tail are over is the user: echo cannot outlast
 * the audio that makes it.
 */
export const SPEECH_PROBABILITY = 0.5;

// ---- voice-settings -----------------------------------------------------------------------------

/** Slowest and fastest speaking rate stored: OpenAI's `/v1/audio/speech` range, which covers the others' useful range. */
export const MIN_VOICE_SPEED = 0.25;
export const MAX_VOICE_SPEED = 4;

/**
 * Longest voice or model id stored. Real ids are short (`alloy`, an ElevenLabs 20-character id, a
 * browser voice URI like `Google UK English Female`); a card from a stranger must not carry a novel here.
 */
export const MAX_VOICE_ID_CHARS = 200;

// ---- transcription (voice in) ------------------------------------------------------------------

/** Longest transcript taken from an endpoint: ~5 minutes of speech at ~15 characters a second, with room. */
export const MAX_TRANSCRIPT_CHARS = 10_000;

// ---- hands-free (voice in with the VAD) --------------------------------------------------------

/**
 * Silence that ends the person's turn in hands-free mode, by default. The issue asks for ≤ 600 ms; vad-web's
 * own default is 1,400 ms and Open WebUI's call mode waits 2,000 ms. Conversation analysis puts the usual
 * gap between turns at ~200 ms, but a thinking pause mid-sentence runs 400-500 ms: 600 ms ends a turn
 * soon after the person is done without cutting most pauses. A setting (options → Voice) between these:
 */
export const DEFAULT_END_OF_TURN_MS = 600;
/** Shorter than this cuts people off between words (Silero needs ~100 ms of silence to score it low at all). */
export const MIN_END_OF_TURN_MS = 250;
/** Longer than this and hands-free feels like waiting for a walkie-talkie. */
export const MAX_END_OF_TURN_MS = 3_000;

/**
 * Audio kept from before the VAD called speech (the pre-roll). Silero scores a soft onset ("y" of "yes",
 * an "h") low for a frame or two, so without it one-word replies lose their first sound and whisper
 * hears "es". 400 ms covers the onset and a breath; vad-web's own default (800 ms) mostly adds noise.
 */
export const PRE_ROLL_MS = 400;

/**
 * Shortest utterance sent to transcription. "Yes" or "no" lasts 250-400 ms; a click or a cough is shorter
 * than ~150 ms. vad-web's default (400 ms) drops a quick "yes", which is why this is lower.
 */
export const MIN_UTTERANCE_MS = 200;

/** Silero frame probability that starts speech, and the lower one that ends it (Silero's own pair). */
export const VAD_START_PROBABILITY = 0.5;
export const VAD_END_PROBABILITY = 0.35;

/**
 * Longest the microphone stays closed for a reply after a turn was sent (the reply's end re-opens it). A
 * reply that never ends (the model hangs, NextChat shows an error Troupe does not see) must not leave
 * hands-free deaf for good.
 */
export const MAX_REPLY_WAIT_MS = 120_000;

/**
 * Speech that starts loud (RMS at least BARGE_IN_MIN_ENERGY) while Troupe speaks pauses Troupe's voice at
 * once, before the echo gate has proof it is the person: the gate needs BARGE_IN_SUSTAIN_MS of strong
 * frames, and Silero scores an onset strong only a few frames in, which alone would miss the issue's
 * 150 ms. Proven within this window, the voice stops for good (barge-in); not proven (a cough, a loud
 * echo burst), it resumes where it paused, a gap of at most this long.
 */
export const BARGE_IN_CONFIRM_MS = 400;
