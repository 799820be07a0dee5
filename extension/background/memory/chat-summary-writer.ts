/**
 * Joins memory's stores to the writer choice (summary-writer.ts): the options page's settings
 * (summary-model-store.ts) and this session's chat models (chat-model-session.ts). What the scheduler
 * asks for each job, what the content script's chat endpoint reports feed, and what the panel is told.
 */
import type { ChatEndpointReport, SummaryWriterView } from '../../messaging/protocols/memory-protocol.ts';
import type { ChatModelSession } from './chat-model-session.ts';
import type { SummaryModelStore } from './summary-model-store.ts';
import { chooseSummaryWriter, summaryWriterView, type SummaryOutcome, type SummaryWriter } from './summary-writer.ts';

export interface ChatSummaryWriter {
  /** Who writes the chat's next summary, with the endpoint (and key) to ask. Only for the summary job. */
  writer(chatKey: string): Promise<SummaryWriter>;
  /** The same in words for the panel, with how the last summary went: no endpoint, no key. */
  view(chatKey: string): Promise<SummaryWriterView>;
  /** The chat's last request's endpoint, model and credential (the content script's report); not kept while the setting is off. */
  remember(report: ChatEndpointReport): Promise<void>;
  /** The person turned the chat's own model off: no chat's credential is kept any longer. */
  forget(): Promise<void>;
  outcome(chatKey: string, outcome: SummaryOutcome): Promise<void>;
}

export function chatSummaryWriter(models: Pick<SummaryModelStore, 'endpoint' | 'useChatModel'>, session: ChatModelSession): ChatSummaryWriter {
  const writer = async (chatKey: string): Promise<SummaryWriter> => {
    const [summaryModel, useChatModel, chat] = await Promise.all([models.endpoint(), models.useChatModel(), session.endpoint(chatKey)]);
    return chooseSummaryWriter({ summaryModel, useChatModel, chat });
  };
  return {
    writer,
    async view(chatKey) {
      const [chosen, last] = await Promise.all([writer(chatKey), session.outcome(chatKey)]);
      return summaryWriterView(chosen, last);
    },
    // Off: nothing of the chat's credentials is kept; turned on again, each chat's next request brings them.
    remember: async (report) => { if (await models.useChatModel()) await session.remember(report); },
    forget: () => session.forgetEndpoints(),
    outcome: (chatKey, outcome) => session.noteOutcome(chatKey, outcome),
  };
}
