import { browser } from '#imports';
import type { OriginsApi } from '../../messaging/protocols/origins-protocol.ts';
import { extraMatchPatterns } from '../../origins/origins.ts';
import { syncRegisteredOrigins } from '../../origins/register.ts';
import type { Handlers } from './types.ts';

export function originsHandlers(): Handlers<OriginsApi> {
  return {
    'origins.list': async () => extraMatchPatterns((await browser.permissions.getAll()).origins ?? []),
    'origins.sync': () => syncRegisteredOrigins(),
  };
}
