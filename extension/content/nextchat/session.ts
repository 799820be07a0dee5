/**
 * Reading which NextChat session is open: from the sidebar's selected row, and from NextChat's own
 * persisted store (idb-keyval in the page origin's IndexedDB, readable by the isolated world).
 */
import { SELECTORS, SESSION_ID_ATTRIBUTE } from './selectors.ts';
import { readChatStore } from './session-record.ts';

/** NextChat's idb-keyval storage: database, object store and the key of its chat store. */
export const NEXTCHAT_IDB = { database: 'keyval-store', store: 'keyval', chatKey: 'chat-next-web-store', accessKey: 'access-control' } as const;

/** The selected session's id as the sidebar shows it; null when the sidebar is hidden (narrow layout). */
export function sessionIdFromDom(doc: Document): string | null {
  const selected = doc.querySelector(`${SELECTORS.sessionItem}${SELECTORS.selectedSessionItem}`)
    ?? doc.querySelector(SELECTORS.selectedSessionItem);
  const id = selected?.getAttribute(SESSION_ID_ATTRIBUTE);
  return id && id.length > 0 ? id : null;
}

/**
 * The current session's id from NextChat's persisted store (a JSON string
 * `{"state":{"sessions":[{id,…}],"currentSessionIndex":N},"version":…}`); null when unreadable.
 */
export function sessionIdFromStoreJson(json: unknown): string | null {
  return readChatStore(json)?.currentSessionId ?? null;
}

/** Reads one of NextChat's persisted stores (its chat store unless `key` says) from the page origin's IndexedDB (isolated world only). */
export function readStoreJson(idb: IDBFactory, key: string = NEXTCHAT_IDB.chatKey): Promise<unknown> {
  return new Promise((resolve) => {
    const open = idb.open(NEXTCHAT_IDB.database);
    open.onerror = () => resolve(null);
    open.onupgradeneeded = () => { open.transaction?.abort(); resolve(null); };
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(NEXTCHAT_IDB.store)) { db.close(); return resolve(null); }
      const get = db.transaction(NEXTCHAT_IDB.store, 'readonly').objectStore(NEXTCHAT_IDB.store).get(key);
      get.onsuccess = () => { db.close(); resolve(get.result); };
      get.onerror = () => { db.close(); resolve(null); };
    };
  });
}
