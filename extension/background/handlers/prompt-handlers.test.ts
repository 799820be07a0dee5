// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { testDbs } from '../db/test-db.ts';
import { libraryFor } from '../library/library.ts';
import { promptDepsFromDb } from '../prompt-service/library-deps.ts';
import { PromptService } from '../prompt-service/prompt-service.ts';
import { DEFAULT_PROMPT_SETTINGS } from '../../messaging/prompt-settings.ts';
import { promptHandlers } from './prompt-handlers.ts';

const freshDb = testDbs('prompt-handlers');
afterEach(() => fakeBrowser.reset());

function setup() {
  const db = freshDb();
  return { db, handlers: promptHandlers(new PromptService(promptDepsFromDb(db)), () => {}, db) };
}

describe('global prompt settings handlers', () => {
  it('start at SillyTavern\'s defaults and list the library\'s books to choose from', async () => {
    const { db, handlers } = setup();
    const book = await libraryFor(db).createLorebook('Coast');
    expect(await handlers['prompt.settings.get']({})).toEqual({
      settings: { version: 2, globalLorebookIds: [], insertionStrategy: 'character_first', hostSystemMode: 'drop', contextSize: null, memoryPercent: 15 },
      lorebooks: [{ id: book.id, name: 'Coast', entries: 0 }],
    });
  });

  it('change only the fields sent, keep them, and drop books the library no longer has', async () => {
    const { db, handlers } = setup();
    const book = await libraryFor(db).createLorebook('Coast');
    await handlers['prompt.settings.update']({ globalLorebookIds: [book.id, 'gone'], hostSystemMode: 'keep' });
    const view = await handlers['prompt.settings.update']({ insertionStrategy: 'evenly' });
    expect(view.settings).toEqual({ ...DEFAULT_PROMPT_SETTINGS, globalLorebookIds: [book.id], hostSystemMode: 'keep', insertionStrategy: 'evenly' });
    expect((await handlers['prompt.settings.get']({})).settings).toEqual(view.settings);
  });
});
