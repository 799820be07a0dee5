/** A TTS endpoint's failure in words the person can act on; never a key (the offscreen player and the options page's Test word it alike). */

/** Longest part of an endpoint's error body shown: one line, never a whole error page. */
const MAX_ERROR_DETAIL = 200;

/** `text` with every key in `keys` replaced by [key]. */
export function withoutKeys(text: string, keys: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const key of keys) if (key && key.length >= 4) out = out.split(key).join('[key]');
  return out;
}

/** Words for a failed TTS answer: its status said plainly, with the endpoint's own message when it has one. */
export async function speechFailure(response: { status: number; text(): Promise<string> }): Promise<string> {
  let detail = '';
  try {
    const text = (await response.text()).trim();
    try {
      const json = JSON.parse(text) as { error?: { message?: unknown } | string; detail?: unknown; message?: unknown };
      const found = typeof json.error === 'object' ? json.error?.message : json.error ?? json.detail ?? json.message;
      detail = typeof found === 'string' ? found : typeof found === 'object' && found ? JSON.stringify(found) : '';
    } catch {
      detail = /^\s*</.test(text) ? '' : text;
    }
  } catch {
    detail = '';
  }
  detail = detail.replace(/\s+/g, ' ').slice(0, MAX_ERROR_DETAIL);
  const status = response.status;
  const what = status === 401 || status === 403 ? `the endpoint refused the API key (${status})`
    : status === 404 ? 'the endpoint has no speech API at that address (404): check the URL (…/v1)'
    : status === 429 ? 'the endpoint is rate-limiting (429)'
    : `the endpoint answered ${status}`;
  return `Speech failed: ${what}${detail ? `: ${detail}` : ''}.`;
}
