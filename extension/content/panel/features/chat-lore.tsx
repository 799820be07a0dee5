/**
 * Chat lore: library lorebooks bound to this chat (SillyTavern's chat-bound World Info, scanned before
 * character and global lore), and this chat's choice for NextChat's own system prompt.
 */
import { useState } from 'preact/hooks';
import type { HostSystemMode } from '@troupe/shared/prompt';
import type { ChatSettingsView } from '../../../messaging/protocols/chat-protocol.ts';
import type { PromptSettingsView } from '../../../messaging/protocols/prompt-protocol.ts';
import { HOST_SYSTEM_MODES } from '../../../messaging/chat-settings.ts';
import { MAX_LOREBOOK_LIST } from '../../../messaging/limits/library.ts';
import { kitRevisionItem } from '../../../messaging/storage/kit-revision.ts';
import { HOST_MODE_LABELS } from '../../../ui/prompt-labels.ts';
import { readChatSettings, saveChatSettings } from '../chat-settings.ts';
import { defineFeature, type FeatureProps, type FeatureScope } from '../feature.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';

interface ChatLoreData {
  view: ChatSettingsView;
  /** The library's lorebooks and the global prompt settings, or why they could not be read (the chat's choices still show). */
  library: PromptSettingsView | { error: string };
}

async function loadChatLore(scope: FeatureScope<'chat'>): Promise<ChatLoreData> {
  const [view, library] = await Promise.all([
    readChatSettings(scope),
    scope.call('prompt.settings.get', {}).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) })),
  ]);
  return { view, library };
}

function ChatLore({ data: { view, library: read }, scope, set }: FeatureProps<ChatLoreData, 'chat'>) {
  const library = 'error' in read ? null : read;
  const saving = useAction();
  // The choice being saved, shown at once; the saved settings replace it when the background answers.
  const [pending, setPending] = useState<string[] | null>(null);
  const bound = pending ?? view.settings.lorebookIds;
  const save = (patch: { lorebookIds?: string[]; hostSystemMode?: HostSystemMode | null }) => saving.run(async () => {
    if (patch.lorebookIds) setPending(patch.lorebookIds);
    try {
      set({ view: await saveChatSettings(scope, patch), library: read });
    } finally {
      setPending(null);
    }
    return 'Saved for this chat.';
  });
  const toggle = (id: string, on: boolean) => save({ lorebookIds: on ? [...bound, id] : bound.filter((b) => b !== id) });
  const global = new Set(library?.settings.globalLorebookIds ?? []);
  // Books deleted from the library stay bound until the next save drops them; offer that save. Only
  // when the list is whole: past MAX_LOREBOOK_LIST books, a bound one may just not be listed.
  const listed = library && library.lorebooks.length < MAX_LOREBOOK_LIST ? new Set(library.lorebooks.map((book) => book.id)) : null;
  const missing = listed ? bound.filter((id) => !listed.has(id)) : [];

  return (
    <div class="create small">
      <fieldset class="chat-lore" disabled={saving.busy}>
        <legend>Chat lore</legend>
        {'error' in read && <p class="error" role="alert">{read.error}</p>}
        {library && library.lorebooks.length === 0 && <p class="muted">No lorebooks in your library yet. Import World Info in the library manager.</p>}
        {library && library.lorebooks.length > 0 && (
          <ul aria-label="Lorebooks for this chat">
            {library.lorebooks.map((book) => (
              <li key={book.id}>
                <label>
                  <input type="checkbox" checked={bound.includes(book.id)} onChange={(e) => void toggle(book.id, e.currentTarget.checked)} aria-describedby={`troupe-lore-${book.id}`} />
                  {book.name}
                </label>
                <span id={`troupe-lore-${book.id}`} class="muted"> {book.entries} {book.entries === 1 ? 'entry' : 'entries'}{global.has(book.id) ? ', on in every chat' : ''}</span>
              </li>
            ))}
          </ul>
        )}
        {missing.length > 0 && (
          <p class="warning">
            {missing.length === 1 ? 'A bound lorebook is' : `${missing.length} bound lorebooks are`} no longer in your library.{' '}
            <button type="button" class="link" onClick={() => void save({ lorebookIds: bound.filter((id) => !missing.includes(id)) })}>Unbind</button>
          </p>
        )}
        <label>NextChat's system prompt
          <select value={view.settings.hostSystemMode ?? ''} onChange={(e) => void save({ hostSystemMode: (e.currentTarget.value || null) as HostSystemMode | null })}>
            <option value="">As in Troupe's options ({HOST_MODE_LABELS[library?.settings.hostSystemMode ?? 'drop'].toLowerCase()})</option>
            {HOST_SYSTEM_MODES.map((mode) => <option key={mode} value={mode}>{HOST_MODE_LABELS[mode]}</option>)}
          </select>
        </label>
      </fieldset>
      <ActionOutcomeLine outcome={saving.outcome} />
    </div>
  );
}

export const chatLore = defineFeature({
  id: 'chat-lore',
  title: 'Chat lore',
  needs: 'chat',
  load: loadChatLore,
  reloadOn: ['chat-changed'],
  // Lorebooks imported or deleted, and global prompt settings changed in the options page, announce no
  // message; they mark prompt kits stale, which is the same news.
  start: ({ signal }, run) => signal.addEventListener('abort', kitRevisionItem.watch(() => run.reload()), { once: true }),
  Component: ChatLore,
});
