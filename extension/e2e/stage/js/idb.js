// Test double of NextChat v2.16: idb-keyval's storage layout (database `keyval-store`, object store
// `keyval`, string values), which NextChat's zustand stores persist into.

let dbPromise;

function openDb() {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open('keyval-store');
    req.onupgradeneeded = () => req.result.createObjectStore('keyval');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbPromise;
}

async function run(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction('keyval', mode);
    const req = action(tx.objectStore('keyval'));
    tx.oncomplete = () => resolve(req.result);
    tx.onabort = tx.onerror = () => reject(tx.error);
  });
}

export function idbGet(key) {
  return run('readonly', (store) => store.get(key));
}

export function idbSet(key, value) {
  return run('readwrite', (store) => store.put(value, key));
}
