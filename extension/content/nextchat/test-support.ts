/** Tests only: NextChat's persisted chat store, written as NextChat writes it (idb-keyval, JSON strings). */
import { NEXTCHAT_IDB } from './session.ts';

/** The chat store's JSON as NextChat persists it: `sessions` and the index of the open one. */
export const storeJson = (sessions: { id: string }[], index: number) => JSON.stringify({ state: { sessions, currentSessionIndex: index }, version: 3.3 });

/** Writes `value` as NextChat's chat store into `idb` (fake-indexeddb in tests). */
export function seedNextChatStore(value: string, idb: IDBFactory = indexedDB): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = idb.open(NEXTCHAT_IDB.database, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(NEXTCHAT_IDB.store);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(NEXTCHAT_IDB.store, 'readwrite');
      tx.objectStore(NEXTCHAT_IDB.store).put(value, NEXTCHAT_IDB.chatKey);
      tx.oncomplete = () => { open.result.close(); resolve(); };
    };
  });
}

/**
 * Makes `change` and resolves once it has been delivered to every MutationObserver made before (they
 * are told in the order they were made, so a fresh one hearing of it comes last) and to the microtasks
 * those queued: how a test waits for "nothing happened" without sleeping.
 */
export function afterDelivery(doc: Document, change: () => void): Promise<void> {
  return new Promise((resolve) => {
    const last = new MutationObserver(() => {
      last.disconnect();
      queueMicrotask(resolve);
    });
    last.observe(doc, { childList: true, subtree: true, attributes: true, characterData: true });
    change();
  });
}
