import type { OriginsApi } from '../../messaging/protocols/origins-protocol.ts';
import { disableOrigin, enabledExtraOrigins, enableOrigin } from '../../origins/register.ts';
import type { Handlers } from './types.ts';

export function originsHandlers(): Handlers<OriginsApi> {
  return {
    'origins.list': () => enabledExtraOrigins(),
    'origins.enable': ({ pattern }) => enableOrigin(pattern),
    'origins.disable': ({ pattern }) => disableOrigin(pattern),
  };
}
