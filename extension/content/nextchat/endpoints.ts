/**
 * Where NextChat sends chats: its own server proxy (`/api/…` on the page's origin) or, in custom
 * endpoint mode, the base URL its settings name for a provider (NextChat v2.16, app/store/access.ts).
 * Troupe rewrites nothing that goes anywhere else.
 */
import { NEXTCHAT_IDB, readStoreJson } from './session.ts';

/** The access store's fields that hold a provider's base URL. */
const ENDPOINT_FIELDS = [
  'openaiUrl', 'azureUrl', 'googleUrl', 'anthropicUrl', 'baiduUrl', 'bytedanceUrl', 'alibabaUrl', 'moonshotUrl',
  'tencentUrl', 'iflytekUrl', 'deepseekUrl', 'xaiUrl', 'chatglmUrl', 'siliconflowUrl', 'ai302Url',
] as const;

/**
 * The custom base URLs in NextChat's persisted access store (`{"state":{useCustomConfig, openaiUrl, …}}`),
 * normalised as NextChat does (no trailing slash, `https://` when no scheme); none unless custom mode is on.
 */
export function configuredEndpoints(accessJson: unknown): string[] {
  if (typeof accessJson !== 'string') return [];
  let state: Record<string, unknown> | undefined;
  try { state = (JSON.parse(accessJson) as { state?: Record<string, unknown> } | null)?.state; } catch { return []; }
  if (!state || state.useCustomConfig !== true) return [];
  const bases: string[] = [];
  for (const field of ENDPOINT_FIELDS) {
    const value = state[field];
    if (typeof value !== 'string' || value.trim() === '' || value.startsWith('/')) continue;
    const base = value.trim().replace(/\/+$/, '');
    bases.push(base.startsWith('http') ? base : `https://${base}`);
  }
  return bases;
}

/** The custom base URLs NextChat's settings name now, read from its persisted access store (none when unreadable). */
export async function readConfiguredEndpoints(idb: IDBFactory): Promise<string[]> {
  return configuredEndpoints(await readStoreJson(idb, NEXTCHAT_IDB.accessKey));
}

/** True when `url` is NextChat's proxy on the page's own origin or lies under one of `endpoints`. */
export function isNextChatDestination(url: string, pageUrl: string, endpoints: readonly string[]): boolean {
  let target: URL;
  let page: URL;
  try {
    page = new URL(pageUrl);
    target = new URL(url, page);
  } catch {
    return false;
  }
  if (target.origin === page.origin && target.pathname.startsWith('/api/')) return true;
  return endpoints.some((base) => {
    try {
      const parsed = new URL(base);
      const prefix = parsed.pathname.replace(/\/+$/, '');
      return target.origin === parsed.origin && (target.pathname === prefix || target.pathname.startsWith(`${prefix}/`));
    } catch {
      return false;
    }
  });
}
