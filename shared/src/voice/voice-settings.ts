/**
 * A character's voice, kept in its card at `data.extensions.troupe.voice`, so it syncs with the
 * character (the card's extensions are part of its doc) and travels in every export (PNG `chara` and
 * `ccv3` chunks, JSON, CHARX) and back in on import.
 *
 * Stored layout, format 1:
 *   { format: 1, provider: 'openai-compatible' | 'elevenlabs' | 'browser', voice: string,
 *     speed: number (0.25-4), model?: string,
 *     reading?: { dialogueOnly?, narrator?, skipCode?, skipActions?: boolean },   absent keys: defaults
 *     narratorVoice?: { provider, voice, speed, model? } }                       the voice for narration
 * A card is shared with strangers, so nothing secret is ever written here: no API key, no endpoint
 * (those are the user's, in the extension's settings). Keys this build does not know are ignored on
 * read and not written back. A format newer than this build's is left alone and reported.
 */
import type { Character, JsonObject, JsonValue } from '../cards/index.ts';
import { VoiceError, type VoiceErrorCode } from './errors.ts';
import { MAX_VOICE_ID_CHARS, MAX_VOICE_SPEED, MIN_VOICE_SPEED } from './limits.ts';
import { DEFAULT_READING_OPTIONS, READING_OPTION_KEYS, type ReadingOptions } from './reading-options.ts';

/** The stored layout this build writes (and the newest it reads). */
export const VOICE_SETTINGS_FORMAT = 1;

/** Troupe's key in a card's `data.extensions`, and the voice's key inside it. */
export const TROUPE_EXTENSION_KEY = 'troupe';
export const VOICE_KEY = 'voice';

export const VOICE_PROVIDERS = ['openai-compatible', 'elevenlabs', 'browser'] as const;
/**
 * Where speech comes from: an OpenAI-compatible `/v1/audio/speech` (OpenAI, Kokoro-FastAPI,
 * openedai-speech, LocalAI…), ElevenLabs, or the browser's own voices (`speechSynthesis`).
 */
export type VoiceProvider = (typeof VOICE_PROVIDERS)[number];

/** One voice: which provider, which of its voices, how fast, and (for HTTP providers) which model. */
export interface VoiceChoice {
  provider: VoiceProvider;
  /** The provider's voice id: `alloy`, `af_bella`, an ElevenLabs voice id, a browser voice's `voiceURI`. */
  voice: string;
  /** 1 is normal; MIN_VOICE_SPEED to MAX_VOICE_SPEED. Providers with a narrower range clamp it when speaking. */
  speed: number;
  /** `tts-1`, `kokoro`, `eleven_flash_v2_5`…; absent means the provider's default. */
  model?: string;
}

/** A character's voice settings: its voice, how its replies are read, and optionally a narrator voice. */
export interface VoiceSettings extends VoiceChoice {
  reading: ReadingOptions;
  /** Speaks text outside quotes when `reading.narrator` is on; absent means the user's default narrator. */
  narratorVoice?: VoiceChoice;
}

/**
 * What `readVoiceSettings` found:
 * - 'ok': valid settings.
 * - 'absent': the card has no voice settings (the caller uses the user's default voice).
 * - 'unsupported': a format this build cannot read (newer, or unknown); one error says which.
 * - 'invalid': the format is known but fields are wrong; one error per field.
 */
export type VoiceSettingsRead =
  | { status: 'ok'; settings: VoiceSettings; errors: [] }
  | { status: 'absent'; settings: null; errors: [] }
  | { status: 'unsupported'; settings: null; errors: [VoiceError] }
  | { status: 'invalid'; settings: null; errors: VoiceError[] };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (object: JsonObject, key: string): JsonValue | undefined => (Object.hasOwn(object, key) ? object[key] : undefined);

/**
 * Reads and checks a character's voice settings from its card. Never throws: a card comes from
 * anywhere, and a bad voice must not stop the character from loading.
 * @example
 *   const read = readVoiceSettings(character);
 *   if (read.status === 'ok') speakWith(read.settings);
 *   else if (read.status !== 'absent') showProblem(read.errors);
 */
export function readVoiceSettings(card: Character): VoiceSettingsRead {
  const extensions: unknown = card.data?.extensions;
  const troupe = isObject(extensions) ? own(extensions, TROUPE_EXTENSION_KEY) : undefined;
  if (troupe === undefined) return { status: 'absent', settings: null, errors: [] };
  const base = `data.extensions.${TROUPE_EXTENSION_KEY}`;
  if (!isObject(troupe)) return unsupported('voice/not-an-object', base, `"${base}" should be an object.`);
  const stored = own(troupe, VOICE_KEY);
  if (stored === undefined || stored === null) return { status: 'absent', settings: null, errors: [] };
  const path = `${base}.${VOICE_KEY}`;
  if (!isObject(stored)) return unsupported('voice/not-an-object', path, `"${path}" should be an object.`);
  const format = own(stored, 'format');
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    return unsupported('voice/unknown-format', `${path}.format`, `The voice settings have no format Troupe knows (format ${JSON.stringify(format ?? null)}).`);
  }
  if (format > VOICE_SETTINGS_FORMAT) {
    return unsupported('voice/too-new', `${path}.format`, `The voice settings were saved by a newer Troupe (format ${format}); update the extension to use them.`);
  }
  const { settings, errors } = parseVoice(stored, path);
  return settings === null ? { status: 'invalid', settings: null, errors } : { status: 'ok', settings, errors: [] };
}

/**
 * A copy of `card` with `settings` stored at `data.extensions.troupe.voice` (format VOICE_SETTINGS_FORMAT),
 * or without them when `settings` is null. Only the known fields are written, so an API key or endpoint
 * that rode along on the object never reaches the card. Other keys of `extensions` and of `troupe` are
 * kept (a `troupe` that is not an object was not written by Troupe and is replaced); `card` is not changed (objects on the path are copied; the rest is shared). Throws VoiceError
 * when `settings` is not valid (the UI validates first, with `voiceSettingsErrors`).
 */
export function withVoiceSettings(card: Character, settings: VoiceSettings | null): Character {
  const extensions: JsonObject = isObject(card.data.extensions) ? card.data.extensions : {};
  const current = own(extensions, TROUPE_EXTENSION_KEY);
  const troupe: JsonObject = isObject(current) ? { ...current } : {};
  if (settings === null) {
    delete troupe[VOICE_KEY];
  } else {
    if (!isObject(settings)) throw new VoiceError('voice/not-an-object', 'The voice settings should be an object.');
    const parsed = parseVoice(settings as unknown as JsonObject, '');
    if (parsed.settings === null) throw parsed.errors[0]!;
    troupe[VOICE_KEY] = storedVoice(parsed.settings);
  }
  const nextExtensions: JsonObject = { ...extensions };
  if (Object.keys(troupe).length > 0) nextExtensions[TROUPE_EXTENSION_KEY] = troupe;
  else delete nextExtensions[TROUPE_EXTENSION_KEY];
  return { ...card, data: { ...card.data, extensions: nextExtensions } };
}

/** Every problem with settings about to be saved (empty when they are valid); paths are relative to the settings. */
export function voiceSettingsErrors(settings: VoiceSettings): VoiceError[] {
  if (!isObject(settings)) return [new VoiceError('voice/not-an-object', 'The voice settings should be an object.')];
  return parseVoice(settings as unknown as JsonObject, '').errors;
}

function unsupported(code: VoiceErrorCode, path: string, message: string): VoiceSettingsRead {
  return { status: 'unsupported', settings: null, errors: [new VoiceError(code, message, path)] };
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Checks the fields of stored (or about to be stored) settings: the settings, or every problem found. */
function parseVoice(stored: JsonObject, path: string): { settings: VoiceSettings | null; errors: VoiceError[] } {
  const errors: VoiceError[] = [];
  const voice = readChoice(stored, path, errors, false);
  const reading = readReading(own(stored, 'reading'), join(path, 'reading'), errors);
  const narratorPath = join(path, 'narratorVoice');
  const storedNarrator = own(stored, 'narratorVoice');
  let narratorVoice: VoiceChoice | null = null;
  if (storedNarrator !== undefined && storedNarrator !== null) {
    if (isObject(storedNarrator)) narratorVoice = readChoice(storedNarrator, narratorPath, errors, true);
    else errors.push(new VoiceError('voice/bad-narrator-voice', 'The narrator voice should be an object.', narratorPath));
  }
  if (errors.length > 0 || voice === null || reading === null) return { settings: null, errors };
  const settings: VoiceSettings = { ...voice, reading };
  if (narratorVoice) settings.narratorVoice = narratorVoice;
  return { settings, errors };
}

/**
 * Reads provider/voice/speed/model; pushes one error per bad field (all as 'voice/bad-narrator-voice'
 * for the narrator's, so the UI can point at the right voice) and returns null if there was any.
 */
function readChoice(object: JsonObject, path: string, errors: VoiceError[], narrator: boolean): VoiceChoice | null {
  const before = errors.length;
  const code = (field: VoiceErrorCode): VoiceErrorCode => (narrator ? 'voice/bad-narrator-voice' : field);
  const provider = own(object, 'provider');
  if (typeof provider !== 'string' || !(VOICE_PROVIDERS as readonly string[]).includes(provider)) {
    errors.push(new VoiceError(code('voice/bad-provider'), `The voice provider should be one of ${VOICE_PROVIDERS.join(', ')} (got ${JSON.stringify(provider ?? null)}).`, join(path, 'provider')));
  }
  const voice = own(object, 'voice');
  if (typeof voice !== 'string' || voice.trim() === '' || voice.length > MAX_VOICE_ID_CHARS) {
    errors.push(new VoiceError(code('voice/bad-voice'), `The voice should be a voice name of 1 to ${MAX_VOICE_ID_CHARS} characters.`, join(path, 'voice')));
  }
  const speed = own(object, 'speed');
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < MIN_VOICE_SPEED || speed > MAX_VOICE_SPEED) {
    errors.push(new VoiceError(code('voice/bad-speed'), `The speed should be a number from ${MIN_VOICE_SPEED} to ${MAX_VOICE_SPEED} (got ${JSON.stringify(speed ?? null)}).`, join(path, 'speed')));
  }
  const model = own(object, 'model');
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '' || model.length > MAX_VOICE_ID_CHARS)) {
    errors.push(new VoiceError(code('voice/bad-model'), `The model should be a model name of 1 to ${MAX_VOICE_ID_CHARS} characters, or absent.`, join(path, 'model')));
  }
  if (errors.length > before) return null;
  const choice: VoiceChoice = { provider: provider as VoiceProvider, voice: voice as string, speed: speed as number };
  if (model !== undefined) choice.model = model as string;
  return choice;
}

/** Reads the reading options; absent keys take their defaults. */
function readReading(value: JsonValue | undefined, path: string, errors: VoiceError[]): ReadingOptions | null {
  if (value === undefined || value === null) return { ...DEFAULT_READING_OPTIONS };
  if (!isObject(value)) {
    errors.push(new VoiceError('voice/bad-reading', 'The reading options should be an object.', path));
    return null;
  }
  const reading: ReadingOptions = { ...DEFAULT_READING_OPTIONS };
  let ok = true;
  for (const key of READING_OPTION_KEYS) {
    const option = own(value, key);
    if (option === undefined) continue;
    if (typeof option === 'boolean') {
      reading[key] = option;
    } else {
      ok = false;
      errors.push(new VoiceError('voice/bad-reading', `The reading option "${key}" should be true or false.`, join(path, key)));
    }
  }
  return ok ? reading : null;
}

function storedChoice(choice: VoiceChoice): JsonObject {
  const out: JsonObject = { provider: choice.provider, voice: choice.voice, speed: choice.speed };
  if (choice.model !== undefined) out['model'] = choice.model;
  return out;
}

/** The stored form: known fields only, in a stable order. */
function storedVoice(settings: VoiceSettings): JsonObject {
  const out: JsonObject = { format: VOICE_SETTINGS_FORMAT, ...storedChoice(settings) };
  const reading: JsonObject = {};
  for (const key of READING_OPTION_KEYS) reading[key] = settings.reading[key];
  out['reading'] = reading;
  if (settings.narratorVoice !== undefined) out['narratorVoice'] = storedChoice(settings.narratorVoice);
  return out;
}
