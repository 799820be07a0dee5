/**
 * The background's one PackService, wired to the browser: fetch, the sync relay setting, image
 * tools for preview thumbnails, and a tab for the import page. Plus its upkeep: the hourly check of
 * imported packs (chrome.alarms) and the relay link page's content script.
 */
import { browser, storage } from '#imports';
import type { TroupeDb } from '../db/database.ts';
import type { RuntimeEvent } from '../../messaging/ports.ts';
import { browserImageTools } from '../library/images.ts';
import { libraryFor } from '../library/library.ts';
import { RELAY_URL_KEY, relayUrlItem } from '../../messaging/storage/sync.ts';
import { PACK_CHECK_INTERVAL_MINUTES } from '../../messaging/limits/packs.ts';
import { PackService } from './pack-service.ts';
import { PackRelayClient } from './relay-client.ts';
import { syncRelayPageScript } from './relay-page-script.ts';

/** The import page, with the link in its fragment (never sent anywhere). */
export const IMPORT_PAGE_PATH = '/pack.html';
const CHECK_ALARM = 'troupe-pack-check';

/** Tells every open page that something changed (the background's event port). */
type Announce = (event: RuntimeEvent) => void;

const services = new WeakMap<TroupeDb, PackService>();

/** The one PackService of a database (the background's), created on first use. */
export function packServiceFor(db: TroupeDb, announce: Announce): PackService {
  let service = services.get(db);
  if (!service) {
    service = new PackService({
      db,
      library: libraryFor(db),
      relay: new PackRelayClient((input, init) => fetch(input, init)),
      relayUrl: () => relayUrlItem.getValue(),
      relaySet: async () => (await storage.getItem<string>(RELAY_URL_KEY)) !== null,
      images: browserImageTools(),
      now: () => Date.now(),
      openImportPage: async (link) => { await browser.tabs.create({ url: `${browser.runtime.getURL(IMPORT_PAGE_PATH)}#${encodeURIComponent(link)}` }); },
      changed: () => announce({ type: 'packs-changed' }),
    });
    services.set(db, service);
  }
  return service;
}

/** Checks imported packs every PACK_CHECK_INTERVAL_MINUTES, and keeps the relay page's script on the sync relay. */
export function startPackUpkeep(db: TroupeDb, announce: Announce): void {
  const report = (what: string) => (error: unknown) => console.error(`Troupe: ${what}`, error);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CHECK_ALARM) packServiceFor(db, announce).check(false).catch(report('could not check imported packs'));
  });
  void browser.alarms.get(CHECK_ALARM).then((existing) => {
    if (!existing) return browser.alarms.create(CHECK_ALARM, { periodInMinutes: PACK_CHECK_INTERVAL_MINUTES, delayInMinutes: 1 });
    return undefined;
  }).catch(report('could not schedule pack checks'));
  const resync = () => { syncRelayPageScript().catch(report('could not register the relay page script')); };
  relayUrlItem.watch(resync);
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  browser.runtime.onInstalled.addListener(resync);
}
