import type { ApiShape } from '../../messaging/protocols/define.ts';
import type { RuntimeEvent } from '../../messaging/ports.ts';

/** The background's answer to each request of one domain. */
export type Handlers<Api extends ApiShape<Api>> = { [T in keyof Api]: (request: Api[T]['req']) => Promise<Api[T]['res']> };

/** Tells every open panel and page that something changed. */
export type Announce = (event: RuntimeEvent) => void;
