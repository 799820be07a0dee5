/**
 * Layered summaries, planned off the request path. The planner is pure: given the transcript, the
 * summaries that exist and the settings, it says which summaries are stale and which summaries to make
 * next. The caller (the memory scheduler) removes the stale ones, runs the jobs (a model, or the local
 * extractive summariser), stores the results with `summaryFromJob`, and plans again until no job is left.
 *
 * Level 0 summarises chunks of messages older than the newest `keepRecent`; level n + 1 merges `fanIn`
 * adjacent level-n summaries once more than `fanIn` of them are unmerged. Chunks are fixed by the
 * summaries already made: a new message only ever extends the unsummarised tail, so earlier summaries
 * stay valid as the chat grows; an edit or deletion makes only the summaries over it stale (and those
 * built on them), and only that part is redone, between the valid summaries on either side.
 *
 * Summary ids are derived from level and covered ids, so two devices planning the same job write the
 * same key (the doc keeps one summary, not two), and a redone summary over the same messages replaces
 * the stale one in place.
 */
import {
  MAX_SUMMARY_LEVEL, MERGED_SUMMARY_TARGET_TOKENS, SUMMARY_CHUNK_TOKENS, SUMMARY_FAN_IN, SUMMARY_KEEP_RECENT, SUMMARY_TARGET_TOKENS,
} from './limits.ts';
import { contentHash, framed, messagesHash } from './transcript.ts';
import type { CountedMessage, Summary, SummarySource, TranscriptMessage, TranscriptRole } from './types.ts';

/** What the planner needs to check a summary's messages (memoryContext needs no token counts). */
type HashedMessage = Pick<TranscriptMessage, 'id' | 'role' | 'text'>;

export interface SummarySettings {
  /** Tokens of messages per level-0 summary (a chunk closes before the message that would pass it). */
  chunkTokens: number;
  /** Newest messages never summarised. */
  keepRecent: number;
  /** Summaries of one level merged into one of the next (at least 2). */
  fanIn: number;
  /** Length asked of a level-0 summary, in tokens. */
  targetTokens: number;
  /** Length asked of a merged summary, in tokens. */
  mergedTargetTokens: number;
}

export const DEFAULT_SUMMARY_SETTINGS: Readonly<SummarySettings> = Object.freeze({
  chunkTokens: SUMMARY_CHUNK_TOKENS,
  keepRecent: SUMMARY_KEEP_RECENT,
  fanIn: SUMMARY_FAN_IN,
  targetTokens: SUMMARY_TARGET_TOKENS,
  mergedTargetTokens: MERGED_SUMMARY_TARGET_TOKENS,
});

/** One thing a summary job reads: a message (with its role) or a lower summary. */
export interface SummaryInput {
  id: string;
  role?: TranscriptRole;
  text: string;
  tokens: number;
}

/** A summary to make: summarise `inputs` in about `targetTokens`, store it as `id` with `coverHash`. */
export interface SummaryJob {
  kind: 'summarise';
  id: string;
  level: number;
  covers: string[];
  coverHash: string;
  inputs: SummaryInput[];
  inputTokens: number;
  targetTokens: number;
}

/**
 * Why a summary no longer describes the chat:
 *   missing        a message (or summary) it covers is gone
 *   changed        what it covers was edited (its cover hash differs)
 *   order          what it covers is no longer one adjacent run (a message moved or was put in between)
 *   built-on-stale it merges a summary that is stale
 *   overlap        another valid summary of its level covers part of the same messages (two devices
 *                  summarised the same part differently); the earlier and longer one is kept
 *   invalid        its level or covers are not something this layout makes
 */
export type StaleReason = 'missing' | 'changed' | 'order' | 'built-on-stale' | 'overlap' | 'invalid';

export interface StaleSummary {
  id: string;
  reason: StaleReason;
}

export interface SummaryPlan {
  /** Summaries to remove: they must not reach the model (they may hold a deleted or edited message). */
  stale: StaleSummary[];
  /** Summaries to make now, level 0 first, oldest first; each only reads messages and valid summaries. */
  jobs: SummaryJob[];
}

/** A summary that currently describes part of the chat, with the messages it stands for. */
export interface ContextSummary {
  summary: Summary;
  /** First and last message it stands for. */
  from: string;
  through: string;
  /** How many messages it stands for. */
  messages: number;
}

/** A valid summary and the message positions it stands for. */
interface Placed {
  summary: Summary;
  start: number;
  end: number;
}

interface Analysis {
  /** Valid summaries per level, by position. */
  levels: Placed[][];
  /** Ids of valid summaries merged into a valid summary of the next level. */
  merged: Set<string>;
  stale: StaleSummary[];
}

/**
 * The cover hash of a merged summary: ids and texts of the summaries it merges, in order. A lower
 * summary redone or edited by the person changes it, so the merge is redone with the new text.
 */
export function summariesHash(summaries: readonly Pick<Summary, 'id' | 'text'>[]): string {
  return contentHash(framed(summaries.flatMap((summary) => [summary.id, summary.text])));
}

/** The id of the summary of `level` over `covers`: the same on every device that plans it. */
export function summaryId(level: number, covers: readonly string[]): string {
  return `s${level}-${contentHash(framed(covers))}`;
}

/** The summary a finished job makes, ready for putSummary. */
export function summaryFromJob(job: SummaryJob, text: string, tokens: number, source: SummarySource, at: number): Summary {
  return { id: job.id, level: job.level, covers: [...job.covers], coverHash: job.coverHash, text, tokens, source, at };
}

function checkSettings(settings: SummarySettings): void {
  const { chunkTokens, keepRecent, fanIn, targetTokens, mergedTargetTokens } = settings;
  if (!(chunkTokens > 0) || !(targetTokens > 0) || !(mergedTargetTokens > 0)) throw new RangeError('Summary lengths must be positive numbers of tokens.');
  if (!Number.isSafeInteger(keepRecent) || keepRecent < 0) throw new RangeError('keepRecent must be a whole number of messages, 0 or more.');
  if (!Number.isSafeInteger(fanIn) || fanIn < 2) throw new RangeError('fanIn must be a whole number, 2 or more.');
}

const byPlace = (a: Placed, b: Placed) => a.start - b.start || b.end - a.end || (a.summary.id < b.summary.id ? -1 : a.summary.id > b.summary.id ? 1 : 0);

function analyse(messages: readonly HashedMessage[], summaries: readonly Summary[]): Analysis {
  const position = new Map<string, number>();
  messages.forEach((message, i) => { if (!position.has(message.id)) position.set(message.id, i); });
  const stale: StaleSummary[] = [];
  const staleIds = new Set<string>();
  const markStale = (id: string, reason: StaleReason) => { stale.push({ id, reason }); staleIds.add(id); };

  const byLevel: Summary[][] = Array.from({ length: MAX_SUMMARY_LEVEL + 1 }, () => []);
  const seen = new Set<string>();
  for (const summary of [...summaries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (seen.has(summary.id)) continue;
    seen.add(summary.id);
    if (!Number.isSafeInteger(summary.level) || summary.level < 0 || summary.level > MAX_SUMMARY_LEVEL || summary.covers.length === 0) markStale(summary.id, 'invalid');
    else byLevel[summary.level]!.push(summary);
  }

  const valid = new Map<string, Placed>();
  const levels: Placed[][] = [];
  const merged = new Set<string>();
  for (let level = 0; level <= MAX_SUMMARY_LEVEL; level++) {
    const candidates: Placed[] = [];
    for (const summary of byLevel[level]!) {
      const placed = level === 0 ? placeOverMessages(summary, messages, position) : placeOverSummaries(summary, valid, staleIds);
      if (typeof placed === 'string') markStale(summary.id, placed);
      else candidates.push(placed);
    }
    const accepted: Placed[] = [];
    let end = -1;
    for (const placed of candidates.sort(byPlace)) {
      if (placed.start <= end) { markStale(placed.summary.id, 'overlap'); continue; }
      accepted.push(placed);
      valid.set(placed.summary.id, placed);
      end = placed.end;
      if (level > 0) for (const id of placed.summary.covers) merged.add(id);
    }
    levels.push(accepted);
  }
  return { levels, merged, stale };
}

function placeOverMessages(summary: Summary, messages: readonly HashedMessage[], position: ReadonlyMap<string, number>): Placed | StaleReason {
  const at = summary.covers.map((id) => position.get(id));
  if (at.some((i) => i === undefined)) return 'missing';
  const start = at[0]!;
  if (at.some((i, k) => i !== start + k)) return 'order';
  const end = start + at.length - 1;
  if (messagesHash(messages.slice(start, end + 1)) !== summary.coverHash) return 'changed';
  return { summary, start, end };
}

function placeOverSummaries(summary: Summary, valid: ReadonlyMap<string, Placed>, staleIds: ReadonlySet<string>): Placed | StaleReason {
  const children: Placed[] = [];
  for (const id of summary.covers) {
    const child = valid.get(id);
    if (!child) return staleIds.has(id) ? 'built-on-stale' : 'missing';
    if (child.summary.level !== summary.level - 1) return 'invalid';
    children.push(child);
  }
  if (children.some((child, k) => k > 0 && child.start !== children[k - 1]!.end + 1)) return 'order';
  if (summariesHash(children.map((child) => child.summary)) !== summary.coverHash) return 'changed';
  return { summary, start: children[0]!.start, end: children[children.length - 1]!.end };
}

/** Splits `items` into groups of at most `size`, as even as possible, larger groups first. */
function evenGroups<T>(items: readonly T[], size: number): T[][] {
  const count = Math.ceil(items.length / size);
  const groups: T[][] = [];
  let at = 0;
  for (let g = 0; g < count; g++) {
    const length = Math.floor(items.length / count) + (g < items.length % count ? 1 : 0);
    groups.push(items.slice(at, at + length));
    at += length;
  }
  return groups;
}

function messageJob(chunk: readonly CountedMessage[], settings: SummarySettings): SummaryJob {
  const covers = chunk.map((message) => message.id);
  return {
    kind: 'summarise',
    id: summaryId(0, covers),
    level: 0,
    covers,
    coverHash: messagesHash(chunk),
    inputs: chunk.map(({ id, role, text, tokens }) => ({ id, role, text, tokens })),
    inputTokens: chunk.reduce((sum, message) => sum + message.tokens, 0),
    targetTokens: settings.targetTokens,
  };
}

function mergeJob(level: number, group: readonly Placed[], settings: SummarySettings): SummaryJob {
  const children = group.map((placed) => placed.summary);
  const covers = children.map((summary) => summary.id);
  return {
    kind: 'summarise',
    id: summaryId(level, covers),
    level,
    covers,
    coverHash: summariesHash(children),
    inputs: children.map(({ id, text, tokens }) => ({ id, text, tokens })),
    inputTokens: children.reduce((sum, summary) => sum + summary.tokens, 0),
    targetTokens: settings.mergedTargetTokens,
  };
}

/**
 * Level-0 chunks of a run of unsummarised messages. Greedy from the run's start: a chunk closes before
 * the message that would take it past `chunkTokens`, so a chunk's end depends only on its own messages
 * and the next one. An open run (the chat's tail) keeps its last, unclosed chunk for later; a bounded
 * run (redone between valid summaries) is summarised whole, a short remainder joining the chunk before.
 */
function chunkRun(run: readonly CountedMessage[], bounded: boolean, chunkTokens: number): CountedMessage[][] {
  const chunks: CountedMessage[][] = [];
  let chunk: CountedMessage[] = [];
  let tokens = 0;
  for (const message of run) {
    if (chunk.length > 0 && tokens + message.tokens > chunkTokens) {
      chunks.push(chunk);
      chunk = [];
      tokens = 0;
    }
    chunk.push(message);
    tokens += message.tokens;
  }
  if (bounded && chunk.length > 0) {
    if (chunks.length > 0 && tokens < chunkTokens / 2) chunks[chunks.length - 1]!.push(...chunk);
    else chunks.push(chunk);
  }
  return chunks;
}

/**
 * What to redo and what to make next. `messages` is the transcript (oldest first) with token counts;
 * `summaries` every stored summary. Deterministic: the same input plans the same jobs on any device.
 * @example
 * const { stale, jobs } = planSummaries(messages, readChatMemory(doc).summaries);
 * for (const s of stale) removeSummary(doc, s.id);
 * for (const job of jobs) putSummary(doc, summaryFromJob(job, await summarise(job), tokens, 'model', Date.now()));
 */
export function planSummaries(messages: readonly CountedMessage[], summaries: readonly Summary[], settings: SummarySettings = DEFAULT_SUMMARY_SETTINGS): SummaryPlan {
  checkSettings(settings);
  const { levels, merged, stale } = analyse(messages, summaries);
  const jobs: SummaryJob[] = [];

  // Level 0: runs of messages no valid level-0 summary covers, up to the newest `keepRecent`.
  const eligible = Math.max(0, messages.length - settings.keepRecent);
  const covered = new Array<boolean>(messages.length).fill(false);
  for (const placed of levels[0]!) for (let i = placed.start; i <= placed.end; i++) covered[i] = true;
  for (let start = 0; start < eligible;) {
    if (covered[start]) { start++; continue; }
    let end = start;
    while (end < messages.length && !covered[end]) end++;
    const bounded = end < messages.length && end <= eligible;
    for (const chunk of chunkRun(messages.slice(start, Math.min(end, eligible)), bounded, settings.chunkTokens)) jobs.push(messageJob(chunk, settings));
    start = end;
  }

  // Level n + 1: runs of adjacent level-n summaries not yet merged. A run is merged only when it starts
  // where the chat or the merged part before it starts (otherwise a lower summary before it is still
  // being made, and the run will grow back to meet it). A run followed by a merged part is merged whole;
  // the chat's tail merges its oldest `fanIn` while more than `fanIn` are left.
  for (let level = 0; level < MAX_SUMMARY_LEVEL; level++) {
    const parents = levels[level + 1]!;
    const parentEnds = new Set(parents.map((placed) => placed.end));
    const parentStarts = new Set(parents.map((placed) => placed.start));
    const free = levels[level]!.filter((placed) => !merged.has(placed.summary.id));
    for (let i = 0; i < free.length;) {
      let j = i + 1;
      while (j < free.length && free[j]!.start === free[j - 1]!.end + 1) j++;
      const run = free.slice(i, j);
      i = j;
      const first = run[0]!;
      if (first.start !== 0 && !parentEnds.has(first.start - 1)) continue;
      if (parentStarts.has(run[run.length - 1]!.end + 1)) {
        for (const group of evenGroups(run, settings.fanIn)) jobs.push(mergeJob(level + 1, group, settings));
      } else {
        for (let k = 0; run.length - k > settings.fanIn; k += settings.fanIn) jobs.push(mergeJob(level + 1, run.slice(k, k + settings.fanIn), settings));
      }
    }
  }
  return { stale, jobs };
}

/**
 * The summaries that currently describe the chat, oldest first: for each part, the highest-level valid
 * summary over it; no message is stood for twice. Parts with no valid summary (the recent tail, or a
 * part being redone) are left out: the caller has their messages. Use `from`/`through` to leave out
 * summaries of messages the prompt already holds word for word.
 */
export function memoryContext(messages: readonly HashedMessage[], summaries: readonly Summary[]): ContextSummary[] {
  const { levels, merged } = analyse(messages, summaries);
  return levels.flat()
    .filter((placed) => !merged.has(placed.summary.id))
    .sort(byPlace)
    .map(({ summary, start, end }) => ({ summary, from: messages[start]!.id, through: messages[end]!.id, messages: end - start + 1 }));
}
