/** The library UI's side of the runtime channel: batches for the import pipeline, downloads, file reading. */
import { callBackground } from './runtime-client.ts';
import { base64ToBytes, bytesToBase64 } from '@troupe/shared/bytes';
import { IMPORT_FORMAT, type ExportFile, type ImportResult, type WireImportItem } from '../messaging/library-wire.ts';
import type { ImportOptions } from './import-client.ts';
import { importOverWorker, WORKER_UNAVAILABLE, workerChannelAvailable } from './worker-channel.ts';

/** Sends one import batch to the background as a runtime message (assets as base64). */
export async function sendImportBatch(items: WireImportItem[]): Promise<ImportResult[]> {
  return (await callBackground('library.import', { format: IMPORT_FORMAT, items })).results;
}

/**
 * How this context hands imports to the background: extension pages post Blobs to the service
 * worker; content scripts (the panel) send base64 in runtime messages.
 */
export function importTransport(): Pick<ImportOptions, 'send' | 'assets'> {
  if (!workerChannelAvailable()) return { send: sendImportBatch, assets: 'base64' };
  return {
    assets: 'blob',
    async send(items) {
      try {
        return await importOverWorker(items);
      } catch (error) {
        if ((error as { code?: unknown }).code !== WORKER_UNAVAILABLE) throw error;
        return sendImportBatch(await Promise.all(items.map(withBase64Assets)));
      }
    },
  };
}

/** The item with its Blob assets turned into base64, for the runtime-message road. */
async function withBase64Assets(item: WireImportItem): Promise<WireImportItem> {
  if (item.kind === 'lorebook') return item;
  const assets = await Promise.all(item.assets.map(async ({ blob, ...asset }) => (blob ? { ...asset, base64: bytesToBase64(new Uint8Array(await blob.arrayBuffer())) } : asset)));
  return { ...item, assets };
}

/** Saves an exported file through the browser's download (a temporary object URL). */
export function downloadFile(file: ExportFile): void {
  const blob = new Blob([base64ToBytes(file.base64) as Uint8Array<ArrayBuffer>], { type: file.mime });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; keep the URL a while for slow starts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A picked file's bytes as base64 (for adding an asset). */
export async function fileToBase64(file: File): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

/** The message of anything thrown, for a role="alert" line. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
