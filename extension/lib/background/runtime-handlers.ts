import type { TroupeDb } from '../db/database.ts';
import type { RuntimeHandlers } from '../messaging/runtime-server.ts';
import { chatHandlers } from './handlers/chat-handlers.ts';
import { libraryHandlers } from './handlers/library-handlers.ts';
import { originsHandlers } from './handlers/origins-handlers.ts';
import type { Announce } from './handlers/types.ts';

/** The background's answers to every runtime request: each domain's handlers, merged. */
export function createRuntimeHandlers(db: TroupeDb, announce: Announce): RuntimeHandlers {
  return { ...libraryHandlers(db, announce), ...chatHandlers(db, announce), ...originsHandlers() };
}
