import { browser } from '#imports';
import { openTroupeDb } from './db/database.ts';
import { serveEvents, serveRuntime } from './runtime-server.ts';
import { syncRegisteredOrigins } from './origins/register.ts';
import { createRuntimeHandlers } from './runtime-handlers.ts';
import { loadTokenizerTables } from '../messaging/tokenizer-tables.ts';
import { syncServiceFor } from './sync/sync-service.ts';
import { startPackUpkeep } from './packs/pack-runtime.ts';

/** Starts the background: owns the database, answers other contexts, keeps origins registered. */
export function startBackground(): void {
  loadTokenizerTables(self.location.origin);
  const db = openTroupeDb();
  const announce = serveEvents();
  serveRuntime(createRuntimeHandlers(db, announce));
  startPackUpkeep(db, announce);
  syncServiceFor(db).start().catch((error: unknown) => console.error('Troupe: could not start sync', error));
  const resync = () => { syncRegisteredOrigins().catch((error: unknown) => console.error('Troupe: could not register origins', error)); };
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  browser.runtime.onInstalled.addListener(resync);
}
