import { storage } from '#imports';

/** Sites (origins) a person can confirm; past this the oldest confirmation is forgotten (asked again). */
export const MAX_CONFIRMED_ORIGINS = 500;

/**
 * The sites where the person confirmed Troupe may act (`http://127.0.0.1:3000`…), with one trusted
 * click in the panel or by enabling the site in the options page. Written only by the background.
 */
export const confirmedOriginsSetting = storage.defineItem<string[]>('local:confirmedOrigins', { fallback: [], version: 1 });

/** True when the person confirmed Troupe on `origin`. */
export async function isOriginConfirmed(origin: string): Promise<boolean> {
  return (await confirmedOriginsSetting.getValue()).includes(origin);
}

/** Remembers the person's confirmation for `origin` (the newest kept when the list is full). */
export async function confirmOrigin(origin: string): Promise<void> {
  const current = await confirmedOriginsSetting.getValue();
  if (current.includes(origin)) return;
  await confirmedOriginsSetting.setValue([...current, origin].slice(-MAX_CONFIRMED_ORIGINS));
}

/** The origin a match pattern such as `http://host:8080/*` names (null for one that names no single origin). */
export function originOfPattern(pattern: string): string | null {
  try {
    const url = new URL(pattern.replace(/\/\*$/, '/'));
    return url.host.includes('*') ? null : url.origin;
  } catch {
    return null;
  }
}
