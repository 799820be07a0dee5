/**
 * Saves bytes as a file the way a download link does: a Blob, an object URL, and a click on a
 * temporary `<a download>`. No server round trip: the bytes never leave the browser.
 */
import { OBJECT_URL_LIFETIME_MS } from './limits.ts';

export interface FileToSave {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** Offers `file` as a download named `file.name`. */
export function saveFile(doc: Document, file: FileToSave): void {
  const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = file.name;
  link.rel = 'noopener';
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), OBJECT_URL_LIFETIME_MS);
}
