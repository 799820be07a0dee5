/** Runtime messages of the options page's "SillyTavern" section: connect, thumbnails, import with progress. */
import { isAvatarFileName } from '../sillytavern-address.ts';
import { ST_IMPORT_MAX_CHARACTERS, ST_MAX_LABEL_CHARS, ST_MAX_URL_CHARS, ST_THUMBNAILS_PER_REQUEST } from '../limits/st-import.ts';
import type { StConnection, StImportChoice, StImportStatus, StThumbnail } from '../st-import-types.ts';
import { MessageError, object, string, type Fields } from '../validate.ts';
import type { Validators } from './define.ts';

export interface SillyTavernApi {
  /** Checks the SillyTavern at `url` and lists its characters. */
  'sillytavern.connect': { req: { url: string }; res: StConnection };
  'sillytavern.thumbnails': { req: { url: string; avatars: string[] }; res: StThumbnail[] };
  /** Starts an import; follow it with `sillytavern.importStatus`. */
  'sillytavern.import': { req: { url: string; characters: StImportChoice[] }; res: { jobId: string } };
  /** Progress and the results from `resultsFrom` on. */
  'sillytavern.importStatus': { req: { jobId: string; resultsFrom: number }; res: StImportStatus };
  'sillytavern.cancelImport': { req: { jobId: string }; res: StImportStatus };
}

/** Job ids are UUIDs; anything longer is not one of ours. */
const MAX_JOB_ID_CHARS = 64;

function list(value: unknown, field: string, { min, max }: { min: number; max: number }): unknown[] {
  if (!Array.isArray(value)) throw new MessageError(`${field} must be a list`);
  if (value.length < min) throw new MessageError(`${field} must not be empty`);
  if (value.length > max) throw new MessageError(`${field} has more than ${max} items`);
  return value;
}

function avatar(value: unknown, field: string): string {
  if (!isAvatarFileName(value)) throw new MessageError(`${field} must be a SillyTavern character file name (name.png)`);
  return value;
}

function url(o: Fields): string {
  return string(o.url, 'SillyTavern address', ST_MAX_URL_CHARS, { min: 1 });
}

function jobId(o: Fields): string {
  return string(o.jobId, 'Import id', MAX_JOB_ID_CHARS, { min: 1 });
}

export const SILLYTAVERN_VALIDATORS: Validators<SillyTavernApi> = {
  'sillytavern.connect': (p) => ({ url: url(object(p, 'payload')) }),
  'sillytavern.thumbnails': (p) => {
    const o = object(p, 'payload');
    const avatars = list(o.avatars, 'Characters', { min: 1, max: ST_THUMBNAILS_PER_REQUEST }).map((a, i) => avatar(a, `Character ${i + 1}`));
    return { url: url(o), avatars };
  },
  'sillytavern.import': (p) => {
    const o = object(p, 'payload');
    const characters = list(o.characters, 'Characters', { min: 1, max: ST_IMPORT_MAX_CHARACTERS }).map((c, i) => {
      const choice = object(c, `Character ${i + 1}`);
      return { avatar: avatar(choice.avatar, `Character ${i + 1}`), name: string(choice.name, `Character ${i + 1} name`, ST_MAX_LABEL_CHARS, { min: 1 }) };
    });
    return { url: url(o), characters };
  },
  'sillytavern.importStatus': (p) => {
    const o = object(p, 'payload');
    const from = o.resultsFrom;
    if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0) throw new MessageError('resultsFrom must be a whole number from 0');
    return { jobId: jobId(o), resultsFrom: from };
  },
  'sillytavern.cancelImport': (p) => ({ jobId: jobId(object(p, 'payload')) }),
};
