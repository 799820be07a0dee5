import type { OriginsApi } from '../../messaging/protocols/origins-protocol.ts';
import { disableOrigin, enabledExtraOrigins, enableOrigin } from '../origins/register.ts';
import { confirmOrigin, isOriginConfirmed, originOfPattern } from '../../messaging/storage/confirmed-origins.ts';
import type { Handlers } from './types.ts';

export function originsHandlers(): Handlers<OriginsApi> {
  return {
    'origins.list': () => enabledExtraOrigins(),
    'origins.enable': async ({ pattern }) => {
      const enabled = await enableOrigin(pattern);
      // Typing the site in the options page and enabling it is the person's confirmation too.
      const origin = originOfPattern(pattern);
      if (origin) await confirmOrigin(origin);
      return enabled;
    },
    'origins.isConfirmed': ({ origin }) => isOriginConfirmed(origin),
    'origins.confirm': async ({ origin }) => {
      await confirmOrigin(origin);
      return true as const;
    },
    'origins.disable': ({ pattern }) => disableOrigin(pattern),
  };
}
