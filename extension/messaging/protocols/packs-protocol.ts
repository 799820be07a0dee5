/**
 * Runtime messages of character packs: share characters as a link and manage what this device shares;
 * preview and import a pack link; follow imported packs for new versions. One message (`packs.openFromPage`)
 * is also a content script's: the relay's link page hands its link over, and nothing else.
 */
import { MAX_PACK_CHARACTERS, MAX_PACK_LOREBOOKS, PACK_ID_CHARS, isValidPackId } from '@troupe/shared/packs';
import { MAX_PACK_LINK_TEXT_CHARS } from '../limits/packs.ts';
import { PACK_EXPIRIES, type ImportedPackView, type PackExpiry, type PackImportOutcome, type PackPreview, type PackReplaceChoice, type SharedPackView } from '../packs-wire.ts';
import { MessageError, object, oneOf, string } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';

export interface PacksApi {
  /** Builds, seals and uploads a pack of these characters (with their assets and linked lorebooks) to the sync relay. */
  'packs.share': { req: { characterIds: string[]; expiry: PackExpiry }; res: SharedPackView };
  'packs.shared.list': { req: Record<string, never>; res: SharedPackView[] };
  /** Publishes the current versions of the pack's characters behind the same link. */
  'packs.shared.update': { req: { id: string }; res: SharedPackView };
  /** Changes the expiry (publishes the current versions with it). */
  'packs.shared.setExpiry': { req: { id: string; expiry: PackExpiry }; res: SharedPackView };
  /** Revokes the pack on the relay and forgets it here. */
  'packs.shared.stop': { req: { id: string }; res: Record<string, never> };
  /** Fetches and opens a pack link, and says how each of its items relates to the library. Stores nothing. */
  'packs.preview': { req: { link: string }; res: PackPreview };
  /** Imports every item of the pack at once, or nothing. `version` is the previewed one (a newer one is refused, to be previewed again). */
  'packs.import': { req: { link: string; version: number; replace: PackReplaceChoice }; res: PackImportOutcome };
  'packs.imported.list': { req: Record<string, never>; res: ImportedPackView[] };
  /** Asks the relays about imported packs; `force` also asks about packs checked a moment ago. */
  'packs.imported.check': { req: { force: boolean }; res: ImportedPackView[] };
  /** Re-imports the changed characters and lorebooks of a pack with an update, in place. */
  'packs.imported.apply': { req: { id: string }; res: PackImportOutcome };
  /** Stops following an imported pack (its characters stay). */
  'packs.imported.forget': { req: { id: string }; res: Record<string, never> };
  /** From the relay's link page (a content script): opens Troupe's import page with this link. */
  'packs.openFromPage': { req: { origin: string; link: string }; res: Record<string, never> };
}

/** Longest id we issue (UUIDs) with room to spare. */
const MAX_ID = 100;
/** Longest origin (`https://host:port`). */
const MAX_ORIGIN = 300;

const packId = (v: unknown): string => {
  const text = string(v, 'id', PACK_ID_CHARS, { min: PACK_ID_CHARS });
  if (!isValidPackId(text)) throw new MessageError('id must be a pack id');
  return text;
};
const link = (v: unknown): string => string(v, 'link', MAX_PACK_LINK_TEXT_CHARS, { min: 1 });
const expiry = (v: unknown): PackExpiry => oneOf(v, 'expiry', PACK_EXPIRIES);

function indexList(v: unknown, field: string, max: number): number[] {
  if (!Array.isArray(v)) throw new MessageError(`${field} must be a list`);
  if (v.length > max) throw new MessageError(`${field} has more than ${max} items`);
  return [...new Set(v.map((item, i) => {
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item >= max) throw new MessageError(`${field}[${i}] must be a whole number from 0 to ${max - 1}`);
    return item;
  }))];
}

export const PACKS_VALIDATORS: Validators<PacksApi> = {
  'packs.share': (p) => {
    const o = object(p, 'payload');
    if (!Array.isArray(o.characterIds)) throw new MessageError('characterIds must be a list');
    if (o.characterIds.length === 0) throw new MessageError('characterIds must not be empty');
    if (o.characterIds.length > MAX_PACK_CHARACTERS) throw new MessageError(`characterIds has more than ${MAX_PACK_CHARACTERS} items`);
    const characterIds = [...new Set(o.characterIds.map((id, i) => string(id, `characterIds[${i}]`, MAX_ID, { min: 1 })))];
    return { characterIds, expiry: expiry(o.expiry) };
  },
  'packs.shared.list': emptyRequest,
  'packs.shared.update': (p) => ({ id: packId(object(p, 'payload').id) }),
  'packs.shared.setExpiry': (p) => {
    const o = object(p, 'payload');
    return { id: packId(o.id), expiry: expiry(o.expiry) };
  },
  'packs.shared.stop': (p) => ({ id: packId(object(p, 'payload').id) }),
  'packs.preview': (p) => ({ link: link(object(p, 'payload').link) }),
  'packs.import': (p) => {
    const o = object(p, 'payload');
    if (typeof o.version !== 'number' || !Number.isSafeInteger(o.version) || o.version < 1) throw new MessageError('version must be a whole number from 1');
    const replace = object(o.replace, 'replace');
    return {
      link: link(o.link),
      version: o.version,
      replace: { characters: indexList(replace.characters, 'replace.characters', MAX_PACK_CHARACTERS), lorebooks: indexList(replace.lorebooks, 'replace.lorebooks', MAX_PACK_LOREBOOKS) },
    };
  },
  'packs.imported.list': emptyRequest,
  'packs.imported.check': (p) => {
    const force = object(p, 'payload').force;
    if (typeof force !== 'boolean') throw new MessageError('force must be true or false');
    return { force };
  },
  'packs.imported.apply': (p) => ({ id: packId(object(p, 'payload').id) }),
  'packs.imported.forget': (p) => ({ id: packId(object(p, 'payload').id) }),
  'packs.openFromPage': (p) => {
    const o = object(p, 'payload');
    const origin = string(o.origin, 'origin', MAX_ORIGIN, { min: 1 });
    if (!/^https?:\/\/[^\s/?#@]+$/.test(origin)) throw new MessageError('origin must be an http(s) origin');
    return { origin, link: link(o.link) };
  },
};
