import type { TroupeDb } from './db/database.ts';
import type { RuntimeHandlers } from './runtime-server.ts';
import { chatHandlers } from './handlers/chat-handlers.ts';
import { libraryHandlers } from './handlers/library-handlers.ts';
import { originsHandlers } from './handlers/origins-handlers.ts';
import { sillytavernHandlers } from './handlers/sillytavern-handlers.ts';
import { libraryFor } from './library/library.ts';
import type { Announce } from './handlers/types.ts';
import { promptHandlers } from './handlers/prompt-handlers.ts';
import { PromptService } from './prompt-service/prompt-service.ts';
import { promptDepsFromDb } from './prompt-service/library-deps.ts';
import { markKitsStaleOnChange } from './prompt-service/kit-staleness.ts';
import { changeFeedFor } from './changes/change-feed.ts';
import { writeSetting } from './changes/settings-writes.ts';
import { syncHandlers } from './handlers/sync-handlers.ts';
import { personaHandlers, type PersonaFollowers } from './handlers/persona-handlers.ts';
import { unfollowPersona } from './chats/chats.ts';
import { defaultPersonaSetting } from './prompt-service/default-persona.ts';
import { personaStore } from './personas/persona-store.ts';
import { browserImageTools } from './library/images.ts';
import { memoryHandlers } from './handlers/memory-handlers.ts';
import { summaryScheduler, type SummaryScheduler } from './memory/summary-scheduler.ts';
import { dropSummaries, readMemory, storeSummary } from './memory/memory-store.ts';
import { createSummariser, type Summariser } from './offscreen/summariser.ts';
import { offscreenHost } from './offscreen/offscreen-host.ts';
import { getChatSettings } from './chats/chats.ts';
import { memorySettingsHandlers } from './handlers/memory-settings-handlers.ts';
import { SummaryModelStore } from './memory/summary-model-store.ts';
import { ChatModelSession } from './memory/chat-model-session.ts';
import { chatSummaryWriter, type ChatSummaryWriter } from './memory/chat-summary-writer.ts';
import { VoiceDeviceStore } from './voice/voice-device-store.ts';
import { voiceHandlers, voiceSettingsHandlers } from './voice/voice-handlers.ts';
import { updateChatSettings } from './chats/chats.ts';
import { packsHandlers } from './handlers/packs-handlers.ts';
import { packServiceFor } from './packs/pack-runtime.ts';

/** The background's answers to every runtime request: each domain's handlers, merged. */
export function createRuntimeHandlers(db: TroupeDb, announce: Announce): RuntimeHandlers {
  const prompts = new PromptService(promptDepsFromDb(db));
  const changes = changeFeedFor(db);
  markKitsStaleOnChange(changes);
  const summariser = createSummariser(offscreenHost());
  const summaryModels = new SummaryModelStore();
  const writers = chatSummaryWriter(summaryModels, new ChatModelSession());
  const voiceDevice = new VoiceDeviceStore();
  // A chat's memory changed (here or through sync): its panel reads it again; a chat given its
  // character through sync (memory-sync.ts) shows it.
  changes.subscribe((change) => {
    if (change.table === 'memories') for (const chatKey of [...change.ids, ...change.removed]) announce({ type: 'memory-changed', chatKey });
    if (change.table === 'chats' && change.origin === 'sync') for (const chatKey of change.ids) announce({ type: 'chat-changed', chatKey });
  });
  return {
    ...libraryHandlers(db, announce), ...chatHandlers(db, announce), ...originsHandlers(),
    ...sillytavernHandlers({ store: (items) => libraryFor(db).importParsed(items) }),
    ...promptHandlers(prompts, announce, db),
    ...syncHandlers(db),
    ...personaHandlers(personaStore(), browserImageTools(), personaFollowers(db), announce),
    ...memoryHandlers(db, (chatKey, texts) => prompts.countForChat(chatKey, texts), chatSummaries(db, prompts, summariser, writers), writers),
    ...memorySettingsHandlers(summariser, summaryModels, () => writers.forget()),
    ...voiceSettingsHandlers({ device: voiceDevice, fetch: (input, init) => fetch(input, init) }),
    ...voiceHandlers({
      device: voiceDevice,
      host: offscreenHost(),
      characterOf: async (chatKey) => (await db.chats.get(chatKey))?.characterId ?? null,
      card: (id) => libraryFor(db).readCard(id),
      name: async (id) => (await libraryFor(db).summary(id))?.name ?? null,
      setVoice: async (id, voice) => { await libraryFor(db).updateCharacter(id, { voice }); announce({ type: 'characters-changed' }); },
      chatSettings: (chatKey) => getChatSettings(db, chatKey),
      setReadAloud: async (chatKey, on) => { await updateChatSettings(db, chatKey, { readAloud: on }); },
      fetch: (input, init) => fetch(input, init),
      // The service worker shares the extension's origin, whose grant the offscreen recorder uses.
      microphone: async () => (await navigator.permissions.query({ name: 'microphone' as PermissionName })).state,
    }),
    ...packsHandlers(packServiceFor(db, announce)),
  };
}

/** Each chat's summaries, made by the offscreen worker from the chat's memory (by the options page's model, the chat's own, or locally). */
function chatSummaries(db: TroupeDb, prompts: PromptService, summariser: Summariser, writers: ChatSummaryWriter): SummaryScheduler {
  return summaryScheduler({
    readMemory: (chatKey) => readMemory(db, chatKey),
    countTokens: async (chatKey, texts) => ({ model: prompts.modelFor(chatKey), counts: await prompts.countForChat(chatKey, texts) }),
    names: async (chatKey) => {
      const [settings, fallback, row] = await Promise.all([getChatSettings(db, chatKey), defaultPersonaSetting.getValue(), db.chats.get(chatKey)]);
      const character = row?.characterId ? await libraryFor(db).summary(row.characterId) : null;
      return { user: settings.persona?.name || fallback.name || 'User', character: character?.name ?? 'Character' };
    },
    summarise: (request) => summariser.summarise(request),
    writer: writers.writer,
    outcome: writers.outcome,
    removeSummaries: (chatKey, ids) => dropSummaries(db, chatKey, ids),
    putSummary: (chatKey, summary) => storeSummary(db, chatKey, summary),
    now: () => Date.now(),
    report: (error) => console.error('Troupe: a chat summary failed', error),
  });
}

/** Chats (in the database) and the default persona (in storage) that follow a saved persona. */
function personaFollowers(db: TroupeDb): PersonaFollowers {
  return {
    unfollowInChats: (persona) => unfollowPersona(db, persona),
    async unfollowAsDefault(persona) {
      if ((await defaultPersonaSetting.getValue()).id === persona.id) await writeSetting(defaultPersonaSetting, { name: persona.name, description: persona.description });
    },
  };
}
