/** File-extension <-> MIME type for card assets. Unknown extensions are plain bytes. */

const BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  apng: 'image/apng',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'video/webm',
  json: 'application/json',
  txt: 'text/plain',
  md: 'text/markdown',
};

const OCTET_STREAM = 'application/octet-stream';

/** Lower-case extension of a path ('' when it has none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** MIME type for a path, from its extension. */
export function mimeForPath(path: string): string {
  return Object.hasOwn(BY_EXTENSION, extensionOf(path)) ? BY_EXTENSION[extensionOf(path)]! : OCTET_STREAM;
}

/** Extension for a MIME type ('bin' when unknown). */
export function extensionForMime(mime: string): string {
  for (const [extension, type] of Object.entries(BY_EXTENSION)) if (type === mime) return extension;
  return 'bin';
}

/** Media that is already compressed: deflating it again wastes time for nothing. */
export function isCompressedMedia(mime: string): boolean {
  return (mime.startsWith('image/') && mime !== 'image/svg+xml') || mime.startsWith('audio/') || mime.startsWith('video/');
}
