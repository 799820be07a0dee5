import type { TroupeDb } from '../db/database.ts';
import { libraryFor } from '../library/library.ts';
import type { PromptApi, PromptSettingsView } from '../../messaging/protocols/prompt-protocol.ts';
import { promptSettingsItem } from '../prompt-service/global-prompt-settings.ts';
import type { PromptService } from '../prompt-service/prompt-service.ts';
import type { PromptSettings } from '../../messaging/prompt-settings.ts';
import { writeSetting } from '../changes/settings-writes.ts';
import { liveLorebookIds } from './live-lorebooks.ts';
import type { Announce, Handlers } from './types.ts';

export function promptHandlers(service: PromptService, announce: Announce, db: TroupeDb): Handlers<PromptApi> {
  return {
    'prompt.build': async ({ chatKey, ...request }) => {
      const built = await service.build(chatKey, request);
      if (built.report) announce({ type: 'prompt-built', chatKey });
      return { body: built.body, characterId: built.characterId, userText: built.userText };
    },
    'prompt.report': async ({ chatKey }) => service.lastReport(chatKey),
    'prompt.kit': async ({ chatKey, model }) => service.kit(chatKey, model),
    'prompt.count': async ({ model, texts }) => service.countTokens(model, texts),
    'prompt.used': async ({ chatKey, state, report }) => {
      service.used(chatKey, { state, report });
      announce({ type: 'prompt-built', chatKey });
      return null;
    },
    'prompt.settings.get': async () => settingsView(db, await promptSettingsItem.getValue()),
    'prompt.settings.update': async (patch) => {
      const current = await promptSettingsItem.getValue();
      const next: PromptSettings = { ...current, ...patch, version: 2 };
      if (patch.globalLorebookIds) next.globalLorebookIds = await liveLorebookIds(db, patch.globalLorebookIds);
      await writeSetting(promptSettingsItem, next);
      return settingsView(db, next);
    },
  };
}

async function settingsView(db: TroupeDb, settings: PromptSettings): Promise<PromptSettingsView> {
  const books = await libraryFor(db).lorebooks();
  return { settings, lorebooks: books.map(({ id, name, entries }) => ({ id, name, entries })) };
}
