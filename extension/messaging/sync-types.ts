/** What every context may know about sync: its status and the overview the options page shows. */

/** What the UI shows. `error` carries the relay's close code name (e.g. FORBIDDEN) or another short reason. */
export type SyncStatus =
  | { state: 'unpaired' }
  | { state: 'offline' }
  | { state: 'connected' }
  | { state: 'syncing'; pending: number }
  | { state: 'error'; reason: string };

/** What the options page shows about sync (never the secret: the link is asked for separately). */
export interface SyncOverview {
  status: SyncStatus;
  paired: boolean;
  relayUrl: string;
  /** Short code both devices show when they share a pairing ("K3QF-9ZTA"), or null. */
  fingerprint: string | null;
}
