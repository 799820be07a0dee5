/**
 * Which provider a NextChat chat request goes to, from its URL alone (NextChat v2.16.1,
 * app/constant.ts and app/client/platforms/). Proxy mode posts to `/api/{provider}/…` on the page's
 * origin; custom-endpoint mode posts the same path to the user's base URL.
 */

import { parseUrl } from './url.ts';

/** The request and stream formats Troupe can read and write. */
export type WireFormat = 'openai' | 'anthropic' | 'gemini';

/** NextChat's providers (their `/api/{id}` proxy prefix), plus any OpenAI-compatible custom endpoint. */
export type ProviderId =
  | 'openai' | 'azure' | 'moonshot' | 'deepseek' | 'xai' | 'bytedance' | 'chatglm' | 'siliconflow' | '302ai' | 'iflytek'
  | 'anthropic' | 'google' | 'baidu' | 'alibaba' | 'tencent' | 'openai-compatible';

export interface ChatRoute {
  provider: ProviderId;
  /** How to read and write it; null for providers whose format Troupe does not speak (Baidu, Alibaba, Tencent). */
  format: WireFormat | null;
  /** True when the URL is NextChat's own server proxy on the page's origin (`/api/{provider}/…`). */
  proxied: boolean;
}

/** Proxy prefixes of the OpenAI-format family: their chat paths end in `chat/completions`. */
const OPENAI_FAMILY: ReadonlySet<string> = new Set(['openai', 'azure', 'moonshot', 'deepseek', 'xai', 'bytedance', 'chatglm', 'siliconflow', '302ai', 'iflytek']);

/** Human names, for the panel and the inspector. */
export const PROVIDER_NAMES: Readonly<Record<ProviderId, string>> = {
  openai: 'OpenAI', azure: 'Azure OpenAI', moonshot: 'Moonshot', deepseek: 'DeepSeek', xai: 'xAI', bytedance: 'ByteDance (Doubao)',
  chatglm: 'ChatGLM', siliconflow: 'SiliconFlow', '302ai': '302.AI', iflytek: 'iFlytek Spark', anthropic: 'Anthropic (Claude)',
  google: 'Google (Gemini)', baidu: 'Baidu (ERNIE)', alibaba: 'Alibaba (Qwen)', tencent: 'Tencent (Hunyuan)',
  'openai-compatible': 'OpenAI-compatible endpoint',
};

const PROXY_PREFIX = /^\/api\/([a-z0-9]+)(?:\/|$)/;
const GEMINI_PATH = /\/models\/[^/]+:(?:streamGenerateContent|generateContent)$/;

/**
 * Recognises a POST that NextChat makes for a chat turn, title or summary, and says which provider and
 * format it uses; null for anything else. `url` may be relative to `pageUrl`.
 *
 * @example
 *   routeChatRequest('/api/anthropic/v1/messages', 'POST', 'http://127.0.0.1:3000/#/chat')
 *   // -> { provider: 'anthropic', format: 'anthropic', proxied: true }
 */
export function routeChatRequest(url: string, method: string | undefined, pageUrl: string): ChatRoute | null {
  if ((method ?? 'GET').toUpperCase() !== 'POST') return null;
  const page = parseUrl(pageUrl);
  const target = page ? parseUrl(url, pageUrl) : null;
  if (!page || !target) return null;
  const path = target.pathname.replace(/\/+$/, '');
  const prefix = target.origin === page.origin ? PROXY_PREFIX.exec(path)?.[1] : undefined;
  const proxied = prefix !== undefined;
  const format: WireFormat | null = path.endsWith('/chat/completions') ? 'openai'
    : path.endsWith('/v1/messages') ? 'anthropic'
      : GEMINI_PATH.test(path) ? 'gemini' : null;
  if (prefix === 'baidu' && path.includes('/wenxinworkshop/chat/')) return { provider: 'baidu', format: null, proxied };
  if (prefix === 'alibaba' && path.includes('/services/aigc/')) return { provider: 'alibaba', format: null, proxied };
  if (prefix === 'tencent' && path === '/api/tencent') return { provider: 'tencent', format: null, proxied };
  if (format === null) return null;
  if (prefix !== undefined) {
    if (format === 'openai' && OPENAI_FAMILY.has(prefix)) return { provider: prefix as ProviderId, format, proxied };
    if (format === 'anthropic' && prefix === 'anthropic') return { provider: 'anthropic', format, proxied };
    if (format === 'gemini' && prefix === 'google') return { provider: 'google', format, proxied };
    return null;
  }
  const provider: ProviderId = format === 'anthropic' ? 'anthropic' : format === 'gemini' ? 'google' : 'openai-compatible';
  return { provider, format, proxied: false };
}
