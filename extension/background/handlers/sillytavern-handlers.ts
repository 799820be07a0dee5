import { browser } from '#imports';
import type { SillyTavernApi } from '../../messaging/protocols/sillytavern-protocol.ts';
import type { FetchLike } from '../sillytavern/index.ts';
import { createStImportService } from '../st-import/service.ts';
import type { StoreImportItems } from '../../messaging/st-import-types.ts';
import type { Handlers } from './types.ts';

export interface SillyTavernHandlerDeps {
  /** Where imported characters and lorebooks go: the library's import pipeline. */
  store: StoreImportItems;
  /** The background's own fetch unless given (tests). */
  fetch?: FetchLike;
  /** `browser.permissions.contains` for one origin pattern unless given (tests). */
  canReach?: (pattern: string) => Promise<boolean>;
}

/**
 * The background's answers to the options page's SillyTavern section. Only `store` is needed: it
 * receives each chunk of parsed cards and linked lorebooks and returns one result per item.
 */
export function sillytavernHandlers(deps: SillyTavernHandlerDeps): Handlers<SillyTavernApi> {
  const service = createStImportService({
    store: deps.store,
    // Called unbound: a bare `fetch` reference loses its `this` in some browsers.
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    canReach: deps.canReach ?? ((pattern) => browser.permissions.contains({ origins: [pattern] })),
  });
  return {
    'sillytavern.connect': ({ url }) => service.connect(url),
    'sillytavern.thumbnails': ({ url, avatars }) => service.thumbnails(url, avatars),
    'sillytavern.import': ({ url, characters }) => service.startImport(url, characters),
    'sillytavern.importStatus': async ({ jobId, resultsFrom }) => service.importStatus(jobId, resultsFrom),
    'sillytavern.cancelImport': async ({ jobId }) => service.cancelImport(jobId),
  };
}
