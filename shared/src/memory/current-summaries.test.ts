import { describe, expect, it } from 'vitest';
import { currentSummaries } from './current-summaries.ts';
import { planSummaries, summaryFromJob } from './summary-plan.ts';
import type { Summary, TranscriptMessage } from './types.ts';

const chat = (n: number): TranscriptMessage[] => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, role: i % 2 ? 'assistant' : 'user', text: `message ${i} ${'word '.repeat(60)}` }));

/** Every summary the planner asks for, made with a stand-in text, until it asks for none. */
function summarised(messages: TranscriptMessage[]): Summary[] {
  const summaries: Summary[] = [];
  for (;;) {
    const { jobs } = planSummaries(messages.map((m) => ({ ...m, tokens: 62 })), summaries);
    if (jobs.length === 0) return summaries;
    for (const job of jobs) summaries.push(summaryFromJob(job, `summary of ${job.covers.length}`, 5, 'local', 1));
  }
}

describe('currentSummaries', () => {
  it('gives every valid summary with the messages it stands for, merged ones flattened, oldest part first', () => {
    const messages = chat(300);
    const summaries = summarised(messages);
    expect(summaries.some((s) => s.level > 0)).toBe(true);
    const usable = currentSummaries(messages, summaries);
    expect(usable).toHaveLength(summaries.length);
    for (const s of usable) expect(s.covers.every((id) => /^m\d+$/.test(id))).toBe(true);
    const merged = usable.find((s) => s.id === summaries.find((x) => x.level === 1)!.id)!;
    expect(merged.covers.length).toBeGreaterThan(usable.find((s) => s.covers.includes(merged.covers[0]!) && s.id !== merged.id)!.covers.length);
    const starts = usable.map((s) => Number(s.covers[0]!.slice(1)));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it('leaves out a summary (and what was merged from it) once one of its messages was edited or deleted', () => {
    const messages = chat(300);
    const summaries = summarised(messages);
    const edited = messages.map((m) => (m.id === 'm3' ? { ...m, text: 'changed' } : m));
    const usable = currentSummaries(edited, summaries);
    expect(usable.some((s) => s.covers.includes('m3'))).toBe(false);
    expect(usable.length).toBeGreaterThan(0);
    expect(currentSummaries(messages.filter((m) => m.id !== 'm5'), summaries).some((s) => s.covers.includes('m5'))).toBe(false);
  });
});
