/**
 * Who writes a chat's next summary, and how the panel says it (issue #11): the model set in Troupe's
 * options first; else, when allowed and known, the chat's own model (the endpoint, model and key of its
 * last request) if it speaks OpenAI chat completions; else the local extractive summariser, with the
 * reason. Pure: the stores that feed it are summary-model-store.ts and chat-model-session.ts.
 */
import { PROVIDER_NAMES, type ProviderId } from '@troupe/shared/providers';
import { CHAT_SUMMARY_PROVIDERS, type SummaryWriterKind, type SummaryWriterView } from '../../messaging/protocols/memory-protocol.ts';
import type { SummaryEndpoint, SummaryTextSource } from '../../messaging/protocols/offscreen-protocol.ts';

/** The chat's own model as its last request used it. `credential` is secret: it goes only to `url`. */
export interface ChatEndpoint {
  /** The absolute URL the chat request was posted to. */
  url: string;
  model: string;
  /** Recognised from `url` by the background (shared/providers), not taken from the report. */
  provider: ProviderId;
  /** The request's Bearer token (API key or `nk-` access code); null when none. */
  credential: string | null;
  at: number;
}

/** How a chat's last summary went: who was asked, who wrote it, and why the model's text was not used. */
export interface SummaryOutcome {
  by: SummaryWriterKind;
  source: SummaryTextSource;
  /** Why the model's summary was not used (the worker's words, key removed); null when it was, or none was asked. */
  reason: string | null;
  at: number;
}

export interface SummaryWriter {
  by: SummaryWriterKind;
  /** The endpoint the summary job asks first; null: the local summariser writes it. */
  endpoint: SummaryEndpoint | null;
  /** Why the local summariser writes it (by 'local'), as the end of a sentence; null otherwise. */
  reason: string | null;
}

export interface WriterInputs {
  /** The model set in Troupe's options, null when none. */
  summaryModel: SummaryEndpoint | null;
  /** The options page's "Summarise with the chat's own model". */
  useChatModel: boolean;
  /** The chat's last request's endpoint, null when none was seen this browser session. */
  chat: ChatEndpoint | null;
}

/** The local summariser, no reason given (a scheduler without the stores: the bench, tests). */
export const LOCAL_WRITER: SummaryWriter = { by: 'local', endpoint: null, reason: null };

const NO_OPTIONS_MODEL = 'no summary model is set in Troupe\'s options';

/**
 * The writer of a chat's next summary, in the order options model → chat's own model → local.
 * @example
 *   chooseSummaryWriter({ summaryModel: null, useChatModel: true, chat: { url: 'http://127.0.0.1:3000/api/openai/v1/chat/completions', model: 'gpt-4o-mini', provider: 'openai', credential: 'nk-code', at: 1 } })
 *   // -> { by: 'chat-model', endpoint: { url: '…/api/openai/v1/chat/completions', model: 'gpt-4o-mini', apiKey: 'nk-code' }, reason: null }
 */
export function chooseSummaryWriter({ summaryModel, useChatModel, chat }: WriterInputs): SummaryWriter {
  if (summaryModel) return { by: 'summary-model', endpoint: summaryModel, reason: null };
  if (!useChatModel) return { by: 'local', endpoint: null, reason: `${NO_OPTIONS_MODEL}, and summarising with the chat's own model is turned off` };
  if (!chat) return { by: 'local', endpoint: null, reason: `${NO_OPTIONS_MODEL}, and Troupe has not seen this chat's model since the browser started (it learns it from the chat's next message)` };
  if (!CHAT_SUMMARY_PROVIDERS.has(chat.provider)) {
    return { by: 'local', endpoint: null, reason: `this chat's model is on ${PROVIDER_NAMES[chat.provider]}, whose requests Troupe cannot reuse for summaries (only OpenAI-compatible chat endpoints can)` };
  }
  return { by: 'chat-model', endpoint: { url: chat.url, model: chat.model, ...(chat.credential ? { apiKey: chat.credential } : {}) }, reason: null };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** `text` with every occurrence of each secret replaced: what the panel is shown never holds a key. */
export function withoutSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  return secrets.reduce<string>((clean, secret) => (secret && secret.length >= 4 ? clean.split(secret).join('[key]') : clean), text);
}

/**
 * What the panel says about a chat's summaries: who writes the next one and, when the last one was
 * meant for a model but written locally, why. Every secret in `writer` is removed from the words.
 */
export function summaryWriterView(writer: SummaryWriter, last: SummaryOutcome | null): SummaryWriterView {
  const endpoint = writer.endpoint;
  let text: string;
  if (writer.by === 'summary-model' && endpoint) text = `New summaries are written by ${endpoint.model} at ${hostOf(endpoint.url)}, the summary model set in Troupe's options.`;
  else if (writer.by === 'chat-model' && endpoint) {
    text = `New summaries are written by this chat's own model, ${endpoint.model} at ${hostOf(endpoint.url)}${endpoint.apiKey ? ', with the key or access code NextChat sent' : ''}.`;
  } else text = `New summaries are written by the local summariser${writer.reason ? `: ${writer.reason}` : ''}.`;
  if (last && last.by !== 'local' && last.source === 'local' && last.reason) {
    text += ` The last summary was written by the local summariser instead: ${last.reason.replace(/\.?$/, '.')}`;
  }
  return { by: writer.by, text: withoutSecrets(text, [endpoint?.apiKey]) };
}
