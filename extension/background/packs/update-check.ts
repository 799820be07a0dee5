/**
 * Whether an imported pack has a new version worth applying. Asks the relay for the version alone
 * (HEAD); only a version newer than the one seen is downloaded and opened, to count what it changes
 * since the import (by digest), so a new version that changes nothing (an expiry change) never shows
 * "Update available". A pack the relay no longer serves (revoked, expired, gone) is settled and never
 * asked about again; an unreachable relay is asked again later, waiting longer after each failure.
 */
import { openPack, type Pack } from '@troupe/shared/packs';
import type { ImportedPackItem, ImportedPackRow } from '../db/database.ts';
import { PACK_CHECK_INTERVAL_MINUTES, PACK_CHECK_ON_OPEN_MIN_MS, PACK_CHECK_RETRY_MS } from '../../messaging/limits/packs.ts';
import type { ImportedPackState } from '../../messaging/packs-wire.ts';
import { asPacksError, PacksError } from './errors.ts';
import { characterDigest, characterKey, lorebookDigest, lorebookKey } from './pack-items.ts';
import type { PackRelayClient } from './relay-client.ts';

/** `nextCheckAt` of a pack that is never checked again. */
export const NEVER = Number.MAX_SAFE_INTEGER;

const SETTLED: Partial<Record<string, ImportedPackState>> = { 'pack/revoked': 'revoked', 'pack/expired': 'expired', 'pack/not-found': 'gone' };

/** How many of the pack's characters and lorebooks are new or differ from what was imported. */
export async function changedSinceImport(pack: Pack, record: Pick<ImportedPackRow, 'characters' | 'lorebooks'>): Promise<number> {
  const differs = (items: readonly ImportedPackItem[], key: string, digest: string) => items.find((item) => item.key === key)?.digest !== digest;
  let changed = 0;
  for (const [index, character] of pack.characters.entries()) if (differs(record.characters, characterKey(character, index), await characterDigest(character))) changed++;
  for (const [index, book] of pack.lorebooks.entries()) if (differs(record.lorebooks, lorebookKey(book, index), await lorebookDigest(book))) changed++;
  return changed;
}

/** The row after asking the relay about it (never throws: a failure is the row's state). */
export async function checkImportedPack(row: ImportedPackRow, relay: PackRelayClient, now: number): Promise<ImportedPackRow> {
  const checked = { ...row, checkedAt: now, failures: 0, note: null, nextCheckAt: now + PACK_CHECK_ON_OPEN_MIN_MS };
  try {
    const info = await relay.version(row.relayUrl, row.id);
    if (info.version <= row.versionSeen) return { ...checked, state: 'current', latestVersion: null, changed: 0 };
    if (row.state === 'update-available' && row.latestVersion === info.version) return { ...checked, state: 'update-available' };
    const { sealed, info: downloaded } = await relay.download(row.relayUrl, row.id);
    const { pack } = await openPack(sealed, row.key);
    const changed = await changedSinceImport(pack, row);
    if (changed === 0) return { ...checked, state: 'current', versionSeen: downloaded.version, latestVersion: null, changed: 0 };
    return { ...checked, state: 'update-available', latestVersion: downloaded.version, changed };
  } catch (error) {
    const failure = packsErrorOf(error);
    const settled = SETTLED[failure.code];
    if (settled) return { ...checked, state: settled, latestVersion: null, changed: 0, nextCheckAt: NEVER };
    const failures = row.failures + 1;
    const wait = Math.min(PACK_CHECK_RETRY_MS * 2 ** (failures - 1), PACK_CHECK_INTERVAL_MINUTES * 60_000);
    return { ...checked, state: row.state === 'update-available' ? 'update-available' : 'unreachable', failures, note: failure.message, nextCheckAt: now + wait };
  }
}

function packsErrorOf(error: unknown): PacksError {
  try {
    return asPacksError(error);
  } catch {
    return new PacksError('packs/relay-answer', String(error));
  }
}
