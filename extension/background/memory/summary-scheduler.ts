/**
 * Makes and keeps each chat's layered summaries, off the request path: a while after the chat's
 * transcript last changed, the planner (shared/src/memory/summary-plan.ts) says which summaries went
 * stale (an edited or deleted message) and which to make; stale ones are removed at once (they must not
 * reach the model), then jobs run one at a time through the summariser (the offscreen worker). One run
 * per chat at a time; a change during a run plans again after it. A failed job is retried later, never
 * in a loop, and never delays a chat request (nothing here is awaited by one).
 */
import { planSummaries, summaryFromJob, type CountedMessage, type Summary, type SummaryJob } from '@troupe/shared/memory';
import type { ChatMemory } from '@troupe/shared/docs';
import type { SummaryRequest, SummaryResult } from '../../messaging/protocols/offscreen-protocol.ts';
import { MAX_SUMMARY_JOBS_PER_RUN, SUMMARY_DELAY_MS, SUMMARY_RETRY_MS } from '../../messaging/limits/memory.ts';
import { LOCAL_WRITER, type SummaryOutcome, type SummaryWriter } from './summary-writer.ts';

export interface SchedulerDeps {
  readMemory(chatKey: string): Promise<ChatMemory>;
  /** Token counts with the chat's tokenizer, and that tokenizer's model. */
  countTokens(chatKey: string, texts: string[]): Promise<{ model: string; counts: number[] }>;
  /** Who speaks in the chat, for the summaries' lines ("Ann: …", "Mira: …"). */
  names(chatKey: string): Promise<{ user: string; character: string }>;
  summarise(request: SummaryRequest): Promise<SummaryResult>;
  /**
   * Who writes the chat's next summary (summary-writer.ts: the options page's model, the chat's own,
   * or the local summariser), read for every job so a change applies to the next one; absent: local.
   */
  writer?: (chatKey: string) => Promise<SummaryWriter>;
  /** How a job went (who was asked, who wrote it, why the model's text was not used), for the panel. */
  outcome?: (chatKey: string, outcome: SummaryOutcome) => Promise<void>;
  removeSummaries(chatKey: string, ids: readonly string[]): Promise<void>;
  putSummary(chatKey: string, summary: Summary): Promise<void>;
  now(): number;
  report(error: unknown): void;
}

export interface SummaryScheduler {
  /** The chat's transcript changed: plan its summaries again after SUMMARY_DELAY_MS. */
  schedule(chatKey: string): void;
  /** Plans and runs the chat's jobs now; resolves when the run ends (tests, the bench). */
  runNow(chatKey: string): Promise<number>;
  dispose(): void;
}

/** Merged summaries are read as plain text: their lines already name who said what. */
const SUMMARY_SPEAKER = '';

export function summaryScheduler(deps: SchedulerDeps): SummaryScheduler {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const running = new Map<string, Promise<number>>();
  const again = new Set<string>();

  const later = (chatKey: string, ms: number) => {
    clearTimeout(timers.get(chatKey));
    timers.set(chatKey, setTimeout(() => {
      timers.delete(chatKey);
      void runNow(chatKey).catch(deps.report);
    }, ms));
  };

  const run = async (chatKey: string): Promise<number> => {
    let made = 0;
    for (;;) {
      // A long chat is summarised over several runs, each planned afresh.
      if (made === MAX_SUMMARY_JOBS_PER_RUN) {
        again.add(chatKey);
        break;
      }
      const memory = await deps.readMemory(chatKey);
      const { model, counts } = await deps.countTokens(chatKey, memory.messages.map((m) => m.text));
      const counted: CountedMessage[] = memory.messages.map((m, i) => ({ ...m, tokens: counts[i] ?? 0 }));
      const plan = planSummaries(counted, memory.summaries);
      if (plan.stale.length > 0) await deps.removeSummaries(chatKey, plan.stale.map((s) => s.id));
      const job = plan.jobs[0];
      if (!job) break;
      const writer = (await deps.writer?.(chatKey)) ?? LOCAL_WRITER;
      const result = await deps.summarise(await request(chatKey, job, model, writer));
      // Kept before the summary is stored, whose change makes the panel read both. Only words for the
      // panel: a failure to keep them must not stop the summaries.
      await deps.outcome?.(chatKey, { by: writer.by, source: result.source, reason: result.modelError ?? null, at: deps.now() }).catch(deps.report);
      await deps.putSummary(chatKey, summaryFromJob(job, result.text, result.tokens, result.source, deps.now()));
      made += 1;
    }
    return made;
  };

  const request = async (chatKey: string, job: SummaryJob, model: string, writer: SummaryWriter): Promise<SummaryRequest> => {
    const { user, character } = await deps.names(chatKey);
    const speaker = (role: string | undefined) => (role === 'user' ? user : role === 'assistant' ? character : SUMMARY_SPEAKER);
    return {
      jobId: job.id,
      model,
      targetTokens: job.targetTokens,
      messages: job.inputs.map((input) => ({ id: input.id, role: input.role ?? 'system', name: speaker(input.role), text: input.text })),
      endpoint: writer.endpoint,
    };
  };

  const runNow = (chatKey: string): Promise<number> => {
    const current = running.get(chatKey);
    if (current) {
      again.add(chatKey);
      return current;
    }
    const started = run(chatKey).catch((error: unknown) => {
      deps.report(error);
      later(chatKey, SUMMARY_RETRY_MS);
      return 0;
    }).finally(() => {
      running.delete(chatKey);
      if (again.delete(chatKey)) later(chatKey, SUMMARY_DELAY_MS);
    });
    running.set(chatKey, started);
    return started;
  };

  return {
    schedule: (chatKey) => later(chatKey, SUMMARY_DELAY_MS),
    runNow,
    dispose() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
