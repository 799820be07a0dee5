/**
 * What the background does for the options page's "SillyTavern" section: connect to the user's
 * SillyTavern and list its characters, fetch their thumbnails, and run imports into the store.
 * No chrome.* here: the background passes fetch, the permission check and the store.
 */
import { createSillyTavernClient, normaliseBaseUrl } from '../sillytavern/index.ts';
import type { FetchLike, StCharacterSummary } from '../sillytavern/index.ts';
import { originPattern } from '../../messaging/sillytavern-address.ts';
import { StImportError } from './errors.ts';
import { StImportJobs } from './jobs.ts';
import { ST_IMPORT_MAX_CHARACTERS, ST_THUMBNAILS_PER_REQUEST } from '../../messaging/limits/st-import.ts';
import { runStImport } from './run-import.ts';
import { fetchThumbnails } from './thumbnails.ts';
import type { StConnection, StImportChoice, StImportStatus, StListedCharacter, StoreImportItems, StThumbnail } from '../../messaging/st-import-types.ts';

export interface StImportServiceDeps {
  /** Stores what an import fetched (the library's import pipeline). */
  store: StoreImportItems;
  /** The background's fetch (its requests carry the browser's cookies for SillyTavern's session). */
  fetch: FetchLike;
  /** Whether Troupe holds the host permission with this match pattern (`http://127.0.0.1/*`). */
  canReach: (pattern: string) => Promise<boolean>;
  now?: () => number;
  /** Per request to SillyTavern; the client's default when absent. */
  timeoutMs?: number;
}

export interface StImportService {
  /** Checks that SillyTavern answers at `url` (and its CSRF flow works) and lists its characters. */
  connect(url: string): Promise<StConnection>;
  /** Thumbnails of up to ST_THUMBNAILS_PER_REQUEST characters. */
  thumbnails(url: string, avatars: readonly string[]): Promise<StThumbnail[]>;
  /** Starts importing the chosen characters (and the worlds they link); returns the job id at once. */
  startImport(url: string, choices: readonly StImportChoice[]): Promise<{ jobId: string }>;
  importStatus(jobId: string, resultsFrom: number): StImportStatus;
  cancelImport(jobId: string): StImportStatus;
}

function listed(summary: StCharacterSummary): StListedCharacter {
  return { avatar: summary.avatar, name: summary.name, tags: summary.tags, creator: summary.creator ?? null };
}

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Creates the service; one per background. */
export function createStImportService(deps: StImportServiceDeps): StImportService {
  const jobs = new StImportJobs(deps.now ? { now: deps.now } : {});

  /** The normalised address, once Troupe may reach it (without the permission every request fails as a CORS error). */
  const reachable = async (url: string): Promise<string> => {
    const baseUrl = normaliseBaseUrl(url);
    const pattern = originPattern(baseUrl);
    if (!(await deps.canReach(pattern))) {
      throw new StImportError(
        'st-import/permission',
        `Troupe is not allowed to reach ${new URL(baseUrl).origin}. Press Connect again and allow it when the browser asks.`,
      );
    }
    return baseUrl;
  };

  const client = (baseUrl: string, signal?: AbortSignal) =>
    createSillyTavernClient({
      baseUrl,
      fetch: deps.fetch,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      ...(signal === undefined ? {} : { signal }),
    });

  return {
    async connect(url) {
      const baseUrl = await reachable(url);
      const st = client(baseUrl);
      const { version } = await st.probe();
      const characters = (await st.listCharacters()).map(listed).sort((a, b) => byName.compare(a.name, b.name) || byName.compare(a.avatar, b.avatar));
      return { url: baseUrl, version, characters };
    },

    async thumbnails(url, avatars) {
      const baseUrl = await reachable(url);
      return fetchThumbnails(baseUrl, avatars.slice(0, ST_THUMBNAILS_PER_REQUEST), deps.fetch);
    },

    async startImport(url, choices) {
      const unique = [...new Map(choices.map((c) => [c.avatar, c])).values()];
      if (unique.length > ST_IMPORT_MAX_CHARACTERS) {
        throw new StImportError('st-import/too-many', `${unique.length} characters were chosen; Troupe imports at most ${ST_IMPORT_MAX_CHARACTERS} at once.`);
      }
      const baseUrl = await reachable(url);
      const jobId = jobs.start(unique.length, (control) =>
        runStImport({
          client: client(baseUrl, control.signal),
          choices: unique,
          store: deps.store,
          onResult: control.result,
          onProgress: ({ phase, charactersDone }) => control.progress(phase, charactersDone),
          signal: control.signal,
        }),
      );
      return { jobId };
    },

    importStatus: (jobId, resultsFrom) => jobs.status(jobId, resultsFrom),
    cancelImport: (jobId) => jobs.cancel(jobId),
  };
}
