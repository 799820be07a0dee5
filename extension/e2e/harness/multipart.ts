/**
 * A small `multipart/form-data` reader for the test LLM's transcription endpoint (audio uploads are
 * binary: the body is read as bytes, see http-util.ts, never as UTF-8 text, which would corrupt them).
 */

/** One part of a multipart form: a field (`fileName` undefined) or a file. */
export interface FormPart {
  name: string;
  fileName?: string;
  /** The part's own Content-Type (files usually have one; fields do not). */
  contentType?: string;
  data: Buffer;
}

/** The boundary of a `multipart/form-data` content type, or null for any other type. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * Splits a multipart body into its parts (RFC 7578); null when the body is not well formed. Enough for
 * what browsers and `fetch` send: CRLF line ends, `Content-Disposition: form-data; name=...; filename=...`.
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    at += delimiter.length;
    // "--" after a delimiter closes the body.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) return null;
    const headersEnd = body.indexOf('\r\n\r\n', at + 2);
    if (headersEnd < 0) return null;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next < 0) return null;
    const headers = body.subarray(at + 2, headersEnd).toString('utf8').split('\r\n');
    const part = partOf(headers, body.subarray(headersEnd + 4, next));
    if (part === null) return null;
    parts.push(part);
    at = next + 2;
  }
}

function partOf(headers: string[], data: Buffer): FormPart | null {
  let name: string | undefined;
  let fileName: string | undefined;
  let contentType: string | undefined;
  for (const line of headers) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-type') contentType = value;
    if (header === 'content-disposition') {
      name = /;\s*name="([^"]*)"/i.exec(value)?.[1];
      fileName = /;\s*filename="([^"]*)"/i.exec(value)?.[1];
    }
  }
  if (name === undefined) return null;
  const part: FormPart = { name, data: Buffer.from(data) };
  if (fileName !== undefined) part.fileName = fileName;
  if (contentType !== undefined) part.contentType = contentType;
  return part;
}
