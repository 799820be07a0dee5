/** Helpers shared by the formats: records, text parts and images as data URLs. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;

/** A base64 image data URL split into its media type and data; null for anything else (a remote URL). */
export function splitDataUrl(url: string): { mediaType: string; data: string } | null {
  const match = DATA_URL.exec(url);
  return match ? { mediaType: match[1]!, data: match[2]! } : null;
}

export function dataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

/** A number when the value is one (tokens limits, temperatures), else undefined. */
export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
