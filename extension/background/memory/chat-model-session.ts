/**
 * Each chat's own model as its last request used it (endpoint, model and credential), and how its last
 * summary went, for this browser session only. Held in memory and in chrome.storage.session (so a
 * stopped and restarted service worker still has them): Chrome keeps that area in memory, empties it
 * when the browser closes, and does not let content scripts read it unless the extension opens it to
 * them, which Troupe never does. Never in storage.local, a synced doc, or any answer to a page.
 */
import { storage } from '#imports';
import { routeChatRequest } from '@troupe/shared/providers';
import { MAX_CHAT_MODELS } from '../../messaging/limits/memory.ts';
import { CHAT_SUMMARY_PROVIDERS, type ChatEndpointReport } from '../../messaging/protocols/memory-protocol.ts';
import type { ChatEndpoint, SummaryOutcome } from './summary-writer.ts';

/** Format 1 of the session value. */
interface StoredChatModels {
  version: 1;
  endpoints: Record<string, ChatEndpoint>;
  outcomes: Record<string, SummaryOutcome>;
}

const EMPTY = (): StoredChatModels => ({ version: 1, endpoints: {}, outcomes: {} });

export const chatModelsItem = storage.defineItem<StoredChatModels | null>('session:memory.chatModels', { fallback: null });

function readable(value: StoredChatModels | null): StoredChatModels {
  return value && value.version === 1 && typeof value.endpoints === 'object' && typeof value.outcomes === 'object'
    ? { version: 1, endpoints: { ...value.endpoints }, outcomes: { ...value.outcomes } }
    : EMPTY();
}

/** The page a chat key (`origin#session`) belongs to, to tell its proxy from other addresses. */
function pageOf(chatKey: string): string | null {
  const at = chatKey.indexOf('#');
  if (at <= 0) return null;
  try {
    return new URL('/', chatKey.slice(0, at)).href;
  } catch {
    return null;
  }
}

/** Keeps the newest MAX_CHAT_MODELS entries of `record` (by `at`). */
function newest<T extends { at: number }>(record: Record<string, T>): Record<string, T> {
  const entries = Object.entries(record);
  if (entries.length <= MAX_CHAT_MODELS) return record;
  return Object.fromEntries(entries.sort(([, a], [, b]) => b.at - a.at).slice(0, MAX_CHAT_MODELS));
}

/**
 * The chat endpoint a report stands for, or null when its URL is not a chat request the background
 * recognises for that chat's page. The provider is read from the URL here (the report's word is not
 * taken), and a credential is kept only for a provider whose requests can write summaries.
 */
export function chatEndpointFrom(report: ChatEndpointReport, now: number): ChatEndpoint | null {
  const page = pageOf(report.chatKey);
  const route = page ? routeChatRequest(report.url, 'POST', page) : null;
  if (!route) return null;
  const credential = CHAT_SUMMARY_PROVIDERS.has(route.provider) ? report.credential : null;
  return { url: report.url, model: report.model, provider: route.provider, credential, at: now };
}

export class ChatModelSession {
  private state: Promise<StoredChatModels> | null = null;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly now: () => number = Date.now) {}

  private read(): Promise<StoredChatModels> {
    this.state ??= chatModelsItem.getValue().then(readable, () => EMPTY());
    return this.state;
  }

  /** Applies `change` to the state, then writes it to storage.session; changes run one at a time. */
  private update(change: (state: StoredChatModels) => void): Promise<void> {
    const run = this.writes.then(async () => {
      const state = await this.read();
      change(state);
      state.endpoints = newest(state.endpoints);
      state.outcomes = newest(state.outcomes);
      await chatModelsItem.setValue(state);
    });
    this.writes = run.catch(() => {});
    return run;
  }

  /** The chat's last request went out as `report` says: it replaces what was kept (a report that is not a chat request is ignored). */
  remember(report: ChatEndpointReport): Promise<void> {
    const endpoint = chatEndpointFrom(report, this.now());
    if (!endpoint) return Promise.resolve();
    return this.update((state) => { state.endpoints[report.chatKey] = endpoint; });
  }

  /** Forgets every chat's endpoint and credential (the person turned the chat's own model off). */
  forgetEndpoints(): Promise<void> {
    return this.update((state) => { state.endpoints = {}; });
  }

  /** The chat's own model as its last request this browser session used it, or null. */
  async endpoint(chatKey: string): Promise<ChatEndpoint | null> {
    const { endpoints } = await this.read();
    return Object.hasOwn(endpoints, chatKey) ? endpoints[chatKey]! : null;
  }

  noteOutcome(chatKey: string, outcome: SummaryOutcome): Promise<void> {
    return this.update((state) => { state.outcomes[chatKey] = outcome; });
  }

  async outcome(chatKey: string): Promise<SummaryOutcome | null> {
    const { outcomes } = await this.read();
    return Object.hasOwn(outcomes, chatKey) ? outcomes[chatKey]! : null;
  }
}
