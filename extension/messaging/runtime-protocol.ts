/**
 * The runtime channel between the background (which owns the database) and every other extension
 * context: the union of each domain's message map (protocols/), each request validated by the
 * background before anything is touched. A new domain is one file in protocols/ and one line here.
 */
import type { Validators } from './protocols/define.ts';
import { CHAT_VALIDATORS, type ChatApi } from './protocols/chat-protocol.ts';
import { LIBRARY_VALIDATORS, type LibraryApi } from './protocols/library-protocol.ts';
import { ORIGINS_VALIDATORS, type OriginsApi } from './protocols/origins-protocol.ts';
import { SILLYTAVERN_VALIDATORS, type SillyTavernApi } from './protocols/sillytavern-protocol.ts';
import { PROMPT_VALIDATORS, type PromptApi } from './protocols/prompt-protocol.ts';
import { SYNC_VALIDATORS, type SyncApi } from './protocols/sync-protocol.ts';
import { PERSONA_VALIDATORS, type PersonaApi } from './protocols/persona-protocol.ts';
import { MEMORY_SETTINGS_VALIDATORS, MEMORY_VALIDATORS, type MemoryApi, type MemorySettingsApi } from './protocols/memory-protocol.ts';
import { VOICE_SETTINGS_VALIDATORS, VOICE_VALIDATORS, type VoiceApi, type VoiceSettingsApi } from './protocols/voice-protocol.ts';
import { PACKS_VALIDATORS, type PacksApi } from './protocols/packs-protocol.ts';

/** Version of the envelope; a context from an older build gets a clear error instead of misreading. */
export const RUNTIME_PROTOCOL_VERSION = 1;

export type RuntimeApi = LibraryApi & ChatApi & OriginsApi & SillyTavernApi & PromptApi & SyncApi & PersonaApi & MemoryApi & MemorySettingsApi & VoiceApi & VoiceSettingsApi & PacksApi;

export const RUNTIME_VALIDATORS: Validators<RuntimeApi> = { ...LIBRARY_VALIDATORS, ...CHAT_VALIDATORS, ...ORIGINS_VALIDATORS, ...SILLYTAVERN_VALIDATORS, ...PROMPT_VALIDATORS, ...SYNC_VALIDATORS, ...PERSONA_VALIDATORS, ...MEMORY_VALIDATORS, ...MEMORY_SETTINGS_VALIDATORS, ...VOICE_VALIDATORS, ...VOICE_SETTINGS_VALIDATORS, ...PACKS_VALIDATORS };

export type RuntimeType = keyof RuntimeApi & string;
export type RuntimeRequest<T extends RuntimeType> = RuntimeApi[T]['req'];
export type RuntimeResponse<T extends RuntimeType> = RuntimeApi[T]['res'];

export interface RuntimeEnvelope<T extends RuntimeType = RuntimeType> { troupe: typeof RUNTIME_PROTOCOL_VERSION; type: T; payload: RuntimeRequest<T> }
export type RuntimeResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Where a message comes from: one of Troupe's own pages (options, library manager) or a content script on a web page. */
export type SenderContext = 'extension-page' | 'content-script';

/**
 * What a content script may ask. A content script runs inside a web page a hostile script may share,
 * so it gets only what the panel and the request rewrite need; pairing secrets, exports, relay and
 * site settings, SillyTavern access and library edits are for Troupe's own pages.
 */
export const CONTENT_SCRIPT_TYPES: ReadonlySet<RuntimeType> = new Set<RuntimeType>([
  'chat.get', 'chat.activate', 'chat.appendReply', 'chat.settings.get', 'chat.settings.update',
  'characters.list', 'characters.create', 'library.query', 'library.tags', 'library.import', 'library.openManager',
  'personas.list', 'personas.save', 'personas.delete',
  'memory.get', 'memory.facts.add', 'memory.facts.update', 'memory.facts.remove', 'memory.facts.promote', 'memory.transcript',
  // The switch of the open chat's own character (the chat key, checked against the page, names it).
  'memory.longTerm.set',
  'memory.summaries.update', 'memory.summaries.redo',
  // The chat's own endpoint and key, for its summaries: kept by the background, never answered back.
  'memory.chatEndpoint',
  'prompt.build', 'prompt.report', 'prompt.kit', 'prompt.count', 'prompt.used', 'prompt.settings.get',
  // The open chat's voice and its sentences; the device's endpoints and keys (voice.device.*) are not here.
  'voice.get', 'voice.character.set', 'voice.readAloud.set', 'voice.speak', 'voice.stop', 'voice.state',
  // Push-to-talk: the endpoint and its key stay in the background and the offscreen document.
  'voice.listen.start', 'voice.listen.stop', 'voice.listen.retry',
  // Hands-free, and the microphone's permission (a state, no device setting).
  'voice.handsFree.start', 'voice.handsFree.stop', 'voice.handsFree.poll', 'voice.handsFree.replyDone', 'voice.microphone',
  // The panel's one question per site; its buttons answer only the person's own clicks.
  'origins.isConfirmed', 'origins.confirm',
  // The relay's link page hands over its link (checked against the sync relay's origin); nothing else of packs.
  'packs.openFromPage',
]);
