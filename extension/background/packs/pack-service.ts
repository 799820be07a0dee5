/**
 * Character packs on this device: share library characters as a link (build, seal, upload to the
 * sync relay) and keep those packs up to date, revoke them or change their expiry; open a link
 * (download, open with the key from its fragment, match against the library), import it all at once
 * or not at all, and follow imported packs for new versions. The publisher secret and the keys stay
 * in this device's database (sharedPacks, importedPacks), which nothing syncs or exports.
 */
import {
  MAX_PACK_RELAY_URL_CHARS,
  PACK_EXPIRES_NEVER,
  createPublisherSecret,
  openPack,
  packLink,
  parsePackLink,
  publisherHash,
  relayHttpUrl,
  sealPack,
  type PackLink,
} from '@troupe/shared/packs';
import { mapLimit } from '@troupe/shared/batch';
import { PACK_ROW_FORMAT, type ImportedPackRow, type SharedPackRow, type TroupeDb } from '../db/database.ts';
import type { AlongsideWrite, AtomicImportItem, Library } from '../library/library.ts';
import type { ImageTools } from '../library/images.ts';
import { MAX_PACK_CHECKS_PER_ROUND, MAX_TRACKED_PACKS, PACK_CHECK_CONCURRENCY, PACK_EXPIRY_MS } from '../../messaging/limits/packs.ts';
import type { ImportedPackView, PackExpiry, PackImportOutcome, PackPreview, PackReplaceChoice, SharedPackView } from '../../messaging/packs-wire.ts';
import { buildPack } from './build-pack.ts';
import { asPacksError, PacksError } from './errors.ts';
import { libraryLookup } from './library-lookup.ts';
import { matchPack, type MatchedItem, type PackMatch } from './match-items.ts';
import { OpenedPacks, type OpenedLink } from './opened-packs.ts';
import { packPreview } from './preview.ts';
import type { PackRelayClient } from './relay-client.ts';
import { checkImportedPack, NEVER } from './update-check.ts';

export interface PackServiceDeps {
  db: TroupeDb;
  library: Library;
  relay: PackRelayClient;
  /** The sync relay's address as set (ws:// or wss://): where packs are shared. */
  relayUrl(): Promise<string>;
  /** Whether the person set a relay address (else relayUrl() is the default one). */
  relaySet(): Promise<boolean>;
  images: ImageTools | null;
  now(): number;
  /** Opens Troupe's import page with this link (a new tab). */
  openImportPage(link: string): Promise<void>;
  /** Tells open pages that shared or imported packs changed. */
  changed(): void;
}

export class PackService {
  private readonly opened: OpenedPacks;
  private checking: Promise<void> | null = null;

  constructor(private readonly deps: PackServiceDeps) {
    this.opened = new OpenedPacks(deps.now);
  }

  // Sharing ---------------------------------------------------------------------------------

  /** Shares these characters as a new pack on the sync relay; returns it with its link. */
  share(characterIds: readonly string[], expiry: PackExpiry): Promise<SharedPackView> {
    return this.guard(async () => {
      const { db, relay, now } = this.deps;
      if ((await db.sharedPacks.count()) >= MAX_TRACKED_PACKS) throw new PacksError('packs/too-many-tracked');
      const relayUrl = relayHttpUrl(await this.deps.relayUrl());
      // Refused before anything is uploaded: a relay address too long for a 120-character link.
      if (relayUrl.length > MAX_PACK_RELAY_URL_CHARS) throw new PacksError('link/bad-relay-url');
      const built = await buildPack(this.deps.library, characterIds, now());
      const sealed = await sealPack(built.pack);
      const secret = createPublisherSecret();
      const receipt = await relay.publish(relayUrl, sealed.ciphertext, await publisherHash(secret), expiresAt(expiry, now())).catch(async (error: unknown) => {
        throw error instanceof PacksError && error.code === 'packs/relay-unreachable' && !(await this.deps.relaySet()) ? new PacksError('packs/no-relay') : error;
      });
      const row: SharedPackRow = {
        id: receipt.id, format: PACK_ROW_FORMAT, relayUrl, key: sealed.key, secret,
        characterIds: built.characterIds, characterNames: built.characterNames,
        version: receipt.version, size: receipt.size, createdAt: receipt.createdAt, updatedAt: receipt.updatedAt, expiresAt: receipt.expiresAt, expiry,
      };
      await db.sharedPacks.put(row);
      this.deps.changed();
      return sharedView(row, 0);
    });
  }

  async sharedPacks(): Promise<SharedPackView[]> {
    const rows = (await this.deps.db.sharedPacks.orderBy('updatedAt').reverse().toArray()).filter((row) => row.format === PACK_ROW_FORMAT);
    return Promise.all(rows.map(async (row) => sharedView(row, (await this.liveCount(row.characterIds)).missing)));
  }

  /** Publishes the current versions of the pack's characters behind the same link (and key). */
  updateShared(id: string): Promise<SharedPackView> {
    return this.guard(() => this.republish(id, undefined));
  }

  /** Changes the pack's expiry; the relay takes it with a new version (the current characters). */
  setExpiry(id: string, expiry: PackExpiry): Promise<SharedPackView> {
    return this.guard(() => this.republish(id, expiry));
  }

  /** Revokes the pack on the relay (its link then says so) and forgets it here. */
  stopSharing(id: string): Promise<void> {
    return this.guard(async () => {
      const row = await this.sharedRow(id);
      try {
        await this.deps.relay.revoke(row.relayUrl, row.id, row.secret);
      } catch (error) {
        const code = asPacksError(error).code;
        // Already revoked, expired or gone on the relay: nothing left to stop.
        if (code !== 'pack/revoked' && code !== 'pack/expired' && code !== 'pack/not-found') throw error;
      }
      await this.deps.db.sharedPacks.delete(id);
      this.deps.changed();
    });
  }

  // Opening and importing -------------------------------------------------------------------

  /** Downloads and opens a pack link and matches it against the library. Stores nothing. */
  preview(text: string): Promise<PackPreview> {
    return this.guard(async () => {
      const link = parsePackLink(text);
      const opened = await this.open(link, true);
      const record = await this.importedRow(link.id);
      const match = await matchPack(opened.opened.pack, record, libraryLookup(this.deps.db, this.deps.library));
      const ownPack = (await this.deps.db.sharedPacks.get(link.id)) !== undefined;
      return packPreview({ id: link.id, relayUrl: relayHttpUrl(link.relayUrl), ownPack }, opened.opened, opened.info, match, this.deps.images);
    });
  }

  /**
   * Imports the previewed version of a pack: every new item added, every update written over its
   * library item (and the same-name items the person chose), all in one transaction with the record
   * that remembers the pack; on any failure nothing is stored.
   */
  importLink(text: string, version: number, replace: PackReplaceChoice): Promise<PackImportOutcome> {
    return this.guard(async () => {
      const link = parsePackLink(text);
      const opened = await this.open(link, false);
      if (opened.info.version !== version) {
        this.opened.put(canonical(link), opened);
        throw new PacksError('packs/changed-since-preview');
      }
      const record = await this.importedRow(link.id);
      if (!record && (await this.deps.db.importedPacks.count()) >= MAX_TRACKED_PACKS) throw new PacksError('packs/too-many-tracked');
      const outcome = await this.write(link, opened, record, replace);
      this.opened.forget(canonical(link));
      return outcome;
    });
  }

  async importedPacks(): Promise<ImportedPackView[]> {
    const rows = (await this.deps.db.importedPacks.toArray()).filter((row) => row.format === PACK_ROW_FORMAT);
    return rows.sort((a, b) => b.importedAt - a.importedAt).map(importedView);
  }

  /**
   * Asks the relays about imported packs that are due (`force`: every one still served), at most
   * MAX_PACK_CHECKS_PER_ROUND, the least recently checked first. One round at a time.
   */
  async check(force: boolean): Promise<ImportedPackView[]> {
    this.checking ??= this.checkRound(force).finally(() => { this.checking = null; });
    await this.checking;
    return this.importedPacks();
  }

  /** Re-imports the changed items of an imported pack in place (and adds its new ones). */
  applyUpdate(id: string): Promise<PackImportOutcome> {
    return this.guard(async () => {
      const record = await this.importedRow(id);
      if (!record) throw new PacksError('packs/not-imported');
      const link: PackLink = { relayUrl: record.relayUrl, id: record.id, key: record.key };
      const opened = await this.download(link);
      return this.write(link, opened, record, { characters: [], lorebooks: [] });
    });
  }

  /** Stops following an imported pack; its characters stay in the library. */
  async forgetImported(id: string): Promise<void> {
    await this.deps.db.importedPacks.delete(id);
    this.deps.changed();
  }

  /** The relay's link page handed over its link: opens the import page, if the page is the sync relay's. */
  openFromPage(origin: string, text: string): Promise<void> {
    return this.guard(async () => {
      const relayOrigin = new URL(relayHttpUrl(await this.deps.relayUrl())).origin;
      const link = parsePackLink(text);
      if (origin !== relayOrigin || new URL(link.relayUrl).origin !== origin) throw new PacksError('packs/not-relay-page');
      await this.deps.openImportPage(packLink(link.relayUrl, link.id, link.key));
    });
  }

  // Inside ------------------------------------------------------------------------------------

  private async republish(id: string, expiry: PackExpiry | undefined): Promise<SharedPackView> {
    const { db, relay, now } = this.deps;
    const row = await this.sharedRow(id);
    const built = await buildPack(this.deps.library, row.characterIds, now(), { skipMissing: true });
    const sealed = await sealPack(built.pack, { key: row.key });
    const expires = expiry === undefined ? undefined : expiry === 'never' ? PACK_EXPIRES_NEVER : expiresAt(expiry, now())!;
    const receipt = await relay.replace(row.relayUrl, row.id, row.secret, sealed.ciphertext, expires);
    const next: SharedPackView['expiry'] = expiry ?? row.expiry;
    const updated: SharedPackRow = {
      ...row, characterIds: built.characterIds, characterNames: built.characterNames,
      version: receipt.version, size: receipt.size, updatedAt: receipt.updatedAt, expiresAt: receipt.expiresAt, expiry: next,
    };
    await db.sharedPacks.put(updated);
    this.deps.changed();
    return sharedView(updated, 0);
  }

  /** The pack behind a link: from the preview's cache, or downloaded and opened now. */
  private async open(link: PackLink, fresh: boolean): Promise<OpenedLink> {
    const key = canonical(link);
    const cached = fresh ? null : this.opened.get(key);
    if (cached) return cached;
    const opened = await this.download(link);
    this.opened.put(key, opened);
    return opened;
  }

  private async download(link: PackLink): Promise<OpenedLink> {
    const relayUrl = relayHttpUrl(link.relayUrl);
    const { sealed, info } = await this.deps.relay.download(relayUrl, link.id);
    return { opened: await openPack(sealed, link.key), info };
  }

  /** Writes a pack into the library by its match, with its record, all at once. */
  private async write(link: PackLink, opened: OpenedLink, record: ImportedPackRow | null, replace: PackReplaceChoice): Promise<PackImportOutcome> {
    const { db, now } = this.deps;
    const { pack } = opened.opened;
    const match = await matchPack(pack, record, libraryLookup(db, this.deps.library));
    const items: AtomicImportItem[] = [];
    const slots: { list: 'characters' | 'lorebooks'; matched: MatchedItem; at: number | null }[] = [];
    const target = (matched: MatchedItem, chosen: readonly number[]): string | null | 'skip' => {
      if (matched.status === 'unchanged') return 'skip';
      if (matched.status === 'update') return matched.libraryId;
      if (matched.status === 'same-name') return chosen.includes(matched.index) ? matched.libraryId : null;
      return null;
    };
    // Books first, so a character's linked World Info is there when it lands.
    for (const matched of match.lorebooks) {
      const to = target(matched, replace.lorebooks);
      slots.push({ list: 'lorebooks', matched, at: to === 'skip' ? null : items.length });
      if (to !== 'skip') items.push({ kind: 'lorebook', lorebook: pack.lorebooks[matched.index]!, replace: to });
    }
    for (const matched of match.characters) {
      const to = target(matched, replace.characters);
      slots.push({ list: 'characters', matched, at: to === 'skip' ? null : items.length });
      const character = pack.characters[matched.index]!;
      if (to !== 'skip') items.push({ kind: 'character', character: character.card, assets: character.assets, replace: to });
    }
    const at = now();
    const ids = await this.importAll(items, {
      tables: [db.importedPacks],
      write: async (written) => {
        const entry = (slot: (typeof slots)[number]) => ({ key: slot.matched.key, libraryId: slot.at === null ? slot.matched.libraryId! : written[slot.at]!, name: slot.matched.name, digest: slot.matched.digest });
        const recorded: ImportedPackRow = {
          id: link.id, format: PACK_ROW_FORMAT, relayUrl: relayHttpUrl(link.relayUrl), key: link.key,
          versionSeen: opened.info.version, importedAt: record?.importedAt ?? at, checkedAt: at, nextCheckAt: at,
          state: 'current', latestVersion: null, changed: 0, note: null, failures: 0,
          characters: slots.filter((slot) => slot.list === 'characters').map(entry),
          lorebooks: slots.filter((slot) => slot.list === 'lorebooks').map(entry),
        };
        await db.importedPacks.put(recorded);
      },
    });
    this.deps.changed();
    const written = slots.filter((slot) => slot.at !== null);
    return {
      added: written.filter((slot) => items[slot.at!]!.replace === null).length,
      updated: written.filter((slot) => items[slot.at!]!.replace !== null).length,
      unchanged: slots.length - written.length,
      characterIds: slots.filter((slot) => slot.list === 'characters').map((slot) => (slot.at === null ? slot.matched.libraryId! : ids[slot.at]!)),
    };
  }

  /** The library's all-or-nothing import; whatever it refuses is `packs/import-failed` with its reason. */
  private async importAll(items: readonly AtomicImportItem[], alongside: AlongsideWrite): Promise<string[]> {
    try {
      return await this.deps.library.importAll(items, alongside);
    } catch (error) {
      throw new PacksError('packs/import-failed', error instanceof Error ? error.message : String(error));
    }
  }

  private async checkRound(force: boolean): Promise<void> {
    const { db, relay, now } = this.deps;
    const at = now();
    const rows = (await db.importedPacks.toArray())
      .filter((row) => row.format === PACK_ROW_FORMAT && row.nextCheckAt !== NEVER && (force || row.nextCheckAt <= at))
      .sort((a, b) => (a.checkedAt ?? 0) - (b.checkedAt ?? 0))
      .slice(0, MAX_PACK_CHECKS_PER_ROUND);
    if (rows.length === 0) return;
    const checked = await mapLimit(rows, PACK_CHECK_CONCURRENCY, (row) => checkImportedPack(row, relay, at));
    await db.transaction('rw', db.importedPacks, async () => {
      for (const row of checked) {
        // Imported again or forgotten while the relay was asked: that write wins.
        const current = await db.importedPacks.get(row.id);
        if (current && current.importedAt === row.importedAt && current.versionSeen <= row.versionSeen) await db.importedPacks.put(row);
      }
    });
    this.deps.changed();
  }

  private async sharedRow(id: string): Promise<SharedPackRow> {
    const row = await this.deps.db.sharedPacks.get(id);
    if (!row || row.format !== PACK_ROW_FORMAT) throw new PacksError('packs/not-shared');
    return row;
  }

  private async importedRow(id: string): Promise<ImportedPackRow | null> {
    const row = await this.deps.db.importedPacks.get(id);
    return row && row.format === PACK_ROW_FORMAT ? row : null;
  }

  private async liveCount(ids: readonly string[]): Promise<{ missing: number }> {
    const rows = await this.deps.db.characters.bulkGet([...ids]);
    return { missing: rows.filter((row) => !row || row.deletedAt !== undefined).length };
  }

  /** Runs a pack operation; whatever a pack or the relay refused comes out as a PacksError with its words. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw asPacksError(error);
    }
  }
}

/** The link as one string (the cache's key). */
function canonical(link: PackLink): string {
  return `${relayHttpUrl(link.relayUrl)}/p/${link.id}#${link.key}`;
}

function expiresAt(expiry: PackExpiry, now: number): number | null {
  const span = PACK_EXPIRY_MS[expiry];
  return span === null ? null : now + span;
}

function sharedView(row: SharedPackRow, missing: number): SharedPackView {
  return {
    id: row.id, link: packLink(row.relayUrl, row.id, row.key), relayUrl: row.relayUrl, characterNames: row.characterNames, missing,
    version: row.version, size: row.size, createdAt: row.createdAt, updatedAt: row.updatedAt, expiresAt: row.expiresAt, expiry: row.expiry,
  };
}

function importedView(row: ImportedPackRow): ImportedPackView {
  return {
    id: row.id, relayUrl: row.relayUrl, link: packLink(row.relayUrl, row.id, row.key), characterNames: row.characters.map((item) => item.name),
    versionSeen: row.versionSeen, importedAt: row.importedAt, checkedAt: row.checkedAt, state: row.state,
    latestVersion: row.latestVersion, changed: row.changed, note: row.note,
  };
}

export type { PackMatch };
