/** Words the pack views share: expiry choices, an imported pack's state, how an item relates to the library. */
import type { ImportedPackView, PackExpiry, PackItemStatus } from '../../messaging/packs-wire.ts';

export const EXPIRY_LABELS: Record<PackExpiry, string> = { never: 'Never', '1d': 'In 1 day', '7d': 'In 7 days', '30d': 'In 30 days' };

export const STATUS_LABELS: Record<PackItemStatus, string> = {
  new: 'New',
  update: 'Update for your copy',
  unchanged: 'Already in your library',
  'same-name': 'You have one with this name',
};

/** An imported pack's state in words. */
export function importedStateText(pack: ImportedPackView): string {
  switch (pack.state) {
    case 'current': return 'Up to date';
    case 'update-available': return `Update available (${pack.changed} ${pack.changed === 1 ? 'change' : 'changes'})`;
    case 'revoked': return 'Revoked: its publisher stopped sharing it';
    case 'expired': return 'Expired';
    case 'gone': return 'No longer on its relay';
    case 'unreachable': return `Could not check: ${pack.note ?? 'the relay did not answer'}`;
  }
}

/** A date and time, or "never". */
export function whenText(at: number | null): string {
  return at === null ? 'never' : new Date(at).toLocaleString();
}

/** A size in KB or MB. */
export function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
