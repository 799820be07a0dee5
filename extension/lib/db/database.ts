import Dexie, { type EntityTable } from 'dexie';
import yDexie from 'y-dexie';
import type * as Y from 'yjs';

/**
 * One row per character: the library index (fast listing without loading docs) plus its Y.Doc,
 * which y-dexie keeps in its own update table. The doc is the source of truth; the index mirrors it.
 */
export interface CharacterRow {
  id: string;
  name: string;
  description: string;
  /** Small avatar as a data URL (limit in limits.ts); full-size assets arrive with the card library. */
  avatar: string | null;
  createdAt: number;
  updatedAt: number;
  doc: Y.Doc;
}

/** A NextChat chat that Troupe knows: which character is active in it. Keyed by `chatKey`. */
export interface ChatRow {
  chatKey: string;
  characterId: string | null;
  updatedAt: number;
}

/** One captured exchange of a character chat: the user's turn and the character's reply. */
export interface ChatLogRow {
  seq?: number;
  chatKey: string;
  characterId: string;
  userText: string;
  replyText: string;
  /** `aborted` when the user stopped the reply: the partial text is kept, marked. */
  status: 'done' | 'aborted';
  at: number;
}

export type TroupeDb = Dexie & {
  characters: EntityTable<CharacterRow, 'id'>;
  chats: EntityTable<ChatRow, 'chatKey'>;
  chatLog: EntityTable<ChatLogRow, 'seq'>;
};

/** Opens Troupe's database. Only the background (and tests) may call this: see DESIGN.md, one owner. */
export function openTroupeDb(name = 'troupe'): TroupeDb {
  const db = new Dexie(name, { addons: [yDexie] }) as TroupeDb;
  db.version(1).stores({
    characters: 'id, name, updatedAt, doc: Y.Doc',
    chats: 'chatKey, characterId',
    chatLog: '++seq, chatKey, [chatKey+at]',
  });
  return db;
}
