/**
 * Records how a NextChat page routes and mounts, the way ../shared/fixtures/nextchat/behaviour-trace.json
 * was recorded on the real NextChat v2.16.1, and compares two such recordings. The stage page's
 * fidelity test replays the trace's steps and must see the same kinds of events in the same order.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

export interface TraceEvent {
  t: number;
  type: string;
  url?: string;
  mark?: string;
  n?: number;
  id?: string;
  selected?: boolean;
}

export interface TraceStep { step: string; events: TraceEvent[] }

export interface BehaviourTrace { about: string; loadsDuringFirstVisit: number; steps: TraceStep[] }

/** The handbook's trace of the real NextChat (read in place, never copied into the repo). */
export function loadBehaviourTrace(): BehaviourTrace {
  const file = resolve(import.meta.dirname, '../../../../shared/fixtures/nextchat/behaviour-trace.json');
  return JSON.parse(readFileSync(file, 'utf8')) as BehaviourTrace;
}

/**
 * An init script (runs before the page's own scripts in every document) that logs what the trace
 * logs: history.pushState/replaceState, hashchange/popstate/DOMContentLoaded/load, every change in the
 * count of the landmarks below, and selection changes on session rows. Read it with `readRecorded`.
 */
export function traceRecorder(): void {
  const marks: Record<string, string> = {
    shell: '[class*="home_container__"] #app-body',
    sidebar: '[class*="home_sidebar__"]',
    sessionRow: '[class*="home_chat-item__"]',
    selectedRow: '[class*="home_chat-item-selected__"]',
    chatBody: '[class*="chat_chat-body__"]',
    input: 'textarea#chat-input',
    newChatPage: '[class*="new-chat_new-chat__"]',
  };
  const log: Array<Record<string, unknown>> = [];
  (window as unknown as { __behaviourTrace: unknown }).__behaviourTrace = log;
  const add = (event: Record<string, unknown>) => log.push({ t: Math.round(performance.now()), ...event });
  add({ type: 'document-start', url: location.href });
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function patched(this: History, ...args: Parameters<History['pushState']>) {
      add({ type: `history.${name}`, url: args[2] === undefined || args[2] === null ? '' : String(args[2]) });
      return original.apply(this, args);
    };
  }
  window.addEventListener('hashchange', () => add({ type: 'hashchange', url: location.href }));
  window.addEventListener('popstate', () => add({ type: 'popstate', url: location.href }));
  document.addEventListener('DOMContentLoaded', () => add({ type: 'DOMContentLoaded' }));
  window.addEventListener('load', () => add({ type: 'load' }));
  const counts: Record<string, number> = {};
  for (const mark of Object.keys(marks)) counts[mark] = 0;
  const selectedClass = /home_chat-item-selected__/;
  new MutationObserver((records) => {
    for (const [mark, selector] of Object.entries(marks)) {
      const n = document.querySelectorAll(selector).length;
      if (n !== counts[mark]) {
        counts[mark] = n;
        add({ type: 'count', mark, n });
      }
    }
    for (const record of records) {
      const row = record.target as Element;
      if (record.type !== 'attributes' || !row.matches?.(marks.sessionRow!)) continue;
      const was = selectedClass.test(record.oldValue ?? '');
      const is = selectedClass.test(row.className);
      if (was !== is) add({ type: 'row-class', id: row.getAttribute('data-rfd-draggable-id'), selected: is });
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'], attributeOldValue: true });
}

/** The events the recorder logged in the page's current document since `since` (its length before a step). */
export async function readRecorded(page: Page, since = 0): Promise<TraceEvent[]> {
  const events = await page.evaluate(() => (window as unknown as { __behaviourTrace?: TraceEvent[] }).__behaviourTrace ?? []);
  return events.slice(since);
}

/** Two events closer than this are taken as simultaneous (one React commit can land in two observer callbacks). */
export const SIMULTANEOUS_MS = 20;

/** An event without its time, and without ids and origins that differ between runs. */
export function eventKey(event: TraceEvent): string {
  switch (event.type) {
    case 'count': return `count ${event.mark}=${event.n}`;
    case 'row-class': return `row-class selected=${event.selected}`;
    case 'document-start':
    case 'popstate':
    case 'hashchange': return `${event.type} ${new URL(event.url ?? '', 'http://x/').hash}`;
    case 'history.pushState':
    case 'history.replaceState': return `${event.type} ${event.url}`;
    default: return event.type;
  }
}

/**
 * Says how `actual` differs from `expected` (empty when it does not): the same events, each as often,
 * and every pair that `expected` orders (more than SIMULTANEOUS_MS apart) in the same order.
 */
export function compareEvents(expected: readonly TraceEvent[], actual: readonly TraceEvent[]): string[] {
  const problems: string[] = [];
  const want = expected.map(eventKey);
  const got = actual.map(eventKey);
  const tally = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const wantCount = tally(want);
  const gotCount = tally(got);
  for (const key of new Set([...want, ...got])) {
    if (wantCount.get(key) !== gotCount.get(key)) problems.push(`"${key}": expected ${wantCount.get(key) ?? 0}, saw ${gotCount.get(key) ?? 0}`);
  }
  if (problems.length > 0) return problems;
  // Match each expected event to the actual one of the same key, in order of occurrence.
  const used = new Map<string, number>();
  const position = want.map((key) => {
    const nth = used.get(key) ?? 0;
    used.set(key, nth + 1);
    let seen = -1;
    return got.findIndex((k) => k === key && ++seen === nth);
  });
  for (let i = 0; i < expected.length; i++) {
    for (let j = i + 1; j < expected.length; j++) {
      if (expected[j]!.t - expected[i]!.t <= SIMULTANEOUS_MS) continue;
      if (position[i]! > position[j]!) problems.push(`"${want[i]}" must come before "${want[j]}", saw the reverse`);
    }
  }
  return problems;
}
