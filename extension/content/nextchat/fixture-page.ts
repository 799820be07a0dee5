import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The handbook's fixtures folder beside the repo (tests read it in place, never copy it in). */
export const FIXTURES_DIR = resolve(import.meta.dirname, '../../../../shared/fixtures');

/** Loads a saved NextChat page from the handbook's fixtures into a fresh document (tests only). */
export function loadNextChatFixture(name: 'chat-after-one-reply' | 'chat-with-builtin-mask'): Document {
  const doc = document.implementation.createHTMLDocument('fixture');
  doc.documentElement.innerHTML = readFileSync(resolve(FIXTURES_DIR, 'nextchat', `${name}.html`), 'utf8');
  return doc;
}
