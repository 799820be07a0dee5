// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { updateChatSettings, setActiveCharacter } from '../chats/chats.ts';
import { testLibrary, type TestLibrary } from '../library/test-support.ts';
import { promptSettingsItem } from './global-prompt-settings.ts';
import { promptDepsFromDb } from './library-deps.ts';
import { DEFAULT_PROMPT_SETTINGS } from '../../messaging/prompt-settings.ts';
import { PromptService } from './prompt-service.ts';

/** A request as the page sent it to NextChat's OpenAI proxy. */
const openaiRequest = (raw: string) => ({ body: raw, url: '/api/openai/v1/chat/completions', format: 'openai' as const });

const open: TestLibrary[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
  fakeBrowser.reset();
});

const body = (text: string) => openaiRequest(JSON.stringify({ messages: [{ role: 'user', content: text }], stream: true, model: 'gpt-4o-mini' }));
const entry = (key: string, content: string) => ({ keys: [key], content, extensions: {}, enabled: true, insertion_order: 100, use_regex: false });
const sentText = (built: { body: string | null }) => JSON.stringify(JSON.parse(built.body!).messages);

describe('the prompt service on the real library', () => {
  it('hears a chat write at once, and not its own prompt-state writes', async () => {
    const t = testLibrary(null);
    open.push(t);
    const mira = await t.library.createCharacter({ name: 'Mira', description: 'A cartographer.', avatar: null });
    const bo = await t.library.createCharacter({ name: 'Bo', description: 'A boatwright.', avatar: null });
    await setActiveCharacter(t.db, 'o#a', mira.id);
    const deps = promptDepsFromDb(t.db, t.library);
    let chatReads = 0;
    const service = new PromptService({ ...deps, readChat: (chatKey) => { chatReads++; return deps.readChat(chatKey); } });
    expect((await service.build('o#a', body('hello'))).characterId).toBe(mira.id);
    await deps.savePromptState('o#a', { version: 1, timedState: null, variables: { seen: 'x' } });
    await service.build('o#a', body('again'));
    expect(chatReads).toBe(1);
    await setActiveCharacter(t.db, 'o#a', bo.id);
    expect((await service.build('o#a', body('who?'))).characterId).toBe(bo.id);
    expect(chatReads).toBe(2);
  });


  it('uses chat-bound and global library books and sees an edit to either on the next request', async () => {
    const t = testLibrary(null);
    open.push(t);
    const mira = await t.library.createCharacter({ name: 'Mira', description: 'A cartographer.', avatar: null });
    const chatBook = await t.library.createLorebook('Harbour');
    const globalBook = await t.library.createLorebook('Coast');
    const chatEntry = await t.library.upsertLoreEntry({ kind: 'lorebook', id: chatBook.id }, null, entry('tide', 'Tides come twice a day.'));
    await t.library.upsertLoreEntry({ kind: 'lorebook', id: globalBook.id }, null, entry('gull', 'Gulls nest on the cliffs.'));
    await setActiveCharacter(t.db, 'o#a', mira.id);
    await updateChatSettings(t.db, 'o#a', { lorebookIds: [chatBook.id] });
    await promptSettingsItem.setValue({ ...DEFAULT_PROMPT_SETTINGS, globalLorebookIds: [globalBook.id] });

    // The database's change feed tells the service of every write: no wiring beyond its deps.
    const service = new PromptService(promptDepsFromDb(t.db, t.library));
    const first = await service.build('o#a', body('The tide brings gulls'));
    expect(sentText(first)).toContain('Tides come twice a day.');
    expect(sentText(first)).toContain('Gulls nest on the cliffs.');

    t.clock.now += 1_000;
    await t.library.upsertLoreEntry({ kind: 'lorebook', id: chatBook.id }, chatEntry.key, entry('tide', 'The tide is out all week.'));
    const second = await service.build('o#a', body('The tide brings gulls'));
    expect(sentText(second)).toContain('The tide is out all week.');
    expect(sentText(second)).not.toContain('Tides come twice a day.');

    // A book deleted from the library stops firing at once (it waits for the undo window, hidden).
    t.clock.now += 1_000;
    await t.library.remove('lorebook', globalBook.id);
    const third = await service.build('o#a', body('The tide brings gulls'));
    expect(sentText(third)).not.toContain('Gulls');
    expect(service.lastReport('o#a')!.lore.warnings).toContain('A lorebook enabled for every chat is no longer in your library.');
  });
});
