/**
 * The chat's memory: facts the person pinned ("remember that …"), given to the character on every
 * turn of this chat however long it grows, and the summaries that stand for its older messages, each
 * with what it costs in the prompt; the person corrects, deletes, and has summaries made again.
 */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { SUMMARY_KEEP_RECENT } from '@troupe/shared/memory';
import type { MemoryFactView, MemorySummaryView, MemoryView } from '../../../messaging/protocols/memory-protocol.ts';
import { defineFeature, type FeatureProps, type FeatureScope } from '../feature.ts';
import { ActionOutcomeLine, useAction, type Action } from '../use-action.tsx';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Ctrl+Enter (Cmd+Enter on a Mac) submits a fact's text; plain Enter is a new line in it. */
const isSubmitKey = (event: KeyboardEvent) => event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing;

/**
 * Moves focus, after the next render, to the first element (marked `data-focus`) whose key is there,
 * unless the person has since put it somewhere outside `root`. Buttons that vanish (a deleted fact's)
 * or were disabled while a call ran would otherwise drop focus to the page.
 */
function useFocusAfterRender(root: RefObject<HTMLElement>): (...keys: string[]) => void {
  const [wanted, setWanted] = useState<string[] | null>(null);
  useEffect(() => {
    const container = root.current;
    if (!wanted || !container) return;
    setWanted(null);
    const active = (container.getRootNode() as Document | ShadowRoot).activeElement;
    if (active && active !== document.body && !container.contains(active)) return;
    const marked = [...container.querySelectorAll<HTMLElement>('[data-focus]')];
    const target = wanted.map((key) => marked.find((el) => el.dataset.focus === key)).find((el) => el !== undefined);
    target?.focus();
    if (target instanceof HTMLTextAreaElement) target.setSelectionRange(target.value.length, target.value.length);
  }, [wanted]);
  return (...keys) => setWanted(keys);
}

/** Who wrote a summary, as its line says it (a merged one was made from the summaries below it). */
function authorship(summary: MemorySummaryView): string {
  if (summary.source === 'user-edited') return 'edited by you';
  // A model: the one set in Troupe's options or the chat's own (the line above the list says which).
  const by = summary.source === 'model' ? 'by a model' : 'by the local summariser';
  return summary.level > 0 ? `merged ${by}` : by;
}

/** What a summary stands for and costs, and who wrote it: "covers 38 messages · 182 tokens · by the local summariser". */
const summaryLine = (summary: MemorySummaryView) =>
  [`covers ${plural(summary.messages, 'message', 'messages')}`, plural(summary.tokens, 'token', 'tokens'), authorship(summary)].join(' · ');

/** How much of the chat memory holds, and when it summarises. */
function keptLine(messages: number): string {
  const kept = messages === 0 ? 'Troupe keeps no messages of this chat yet' : `Troupe keeps ${plural(messages, 'message', 'messages')} of this chat`;
  return `${kept}; older ones are summarised once they are past the newest ${SUMMARY_KEEP_RECENT}.`;
}

/**
 * An item's text edited in place: Save or Ctrl+Enter (Cmd+Enter) saves, Cancel or Escape leaves it as
 * it was. The field stays read-only while the save runs and keeps what was typed if it fails.
 */
function InlineEditor({ label, text, rows, busy, focusKey, onInput, onSave, onCancel }: {
  label: string; text: string; rows: number; busy: boolean; focusKey: string;
  onInput(text: string): void; onSave(): void; onCancel(): void;
}) {
  return (
    <form class="create" aria-label={label} onSubmit={(e) => { e.preventDefault(); onSave(); }}>
      <label>{label}
        <textarea
          rows={rows}
          value={text}
          readOnly={busy}
          data-focus={focusKey}
          aria-keyshortcuts="Control+Enter Meta+Enter Escape"
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (isSubmitKey(e)) {
              e.preventDefault();
              onSave();
            } else if (e.key === 'Escape') {
              // The edit ends, not the panel (a phone's sheet closes on Escape).
              e.preventDefault();
              e.stopPropagation();
              onCancel();
            }
          }}
        />
      </label>
      <div class="active">
        <button type="submit" class="primary" disabled={busy || !text.trim()}>Save</button>
        <button type="button" disabled={busy} onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

/** A text being edited in place: which item, and what the person has typed so far. */
interface Edit { id: string; text: string }

/**
 * Saves an edit through `send` unless it is empty or unchanged (then it just ends), with focus back on
 * the item's Edit button once saved, or in the field (what was typed kept) when refused.
 */
async function saveEdit(edit: Edit | null, original: string, action: Action, keys: { edit: string; editor: string }, { send, end, focus, done }: {
  send(text: string): Promise<void>; end(): void; focus(...keys: string[]): void; done: string;
}): Promise<void> {
  if (!edit || action.busy) return;
  const text = edit.text.trim();
  if (!text) return;
  if (text === original) {
    end();
    return focus(keys.edit);
  }
  const saved = await action.run(async () => {
    await send(text);
    end();
    return done;
  });
  focus(saved ? keys.edit : keys.editor);
}

function Memory({ data: view, scope, set, overlay }: FeatureProps<MemoryView, 'character'>) {
  const { chatKey, call } = scope;
  const root = useRef<HTMLDivElement>(null);
  const focus = useFocusAfterRender(root);
  // What the person typed survives reloads (an announcement from another tab) and refusals.
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<Edit | null>(null);
  const adding = useAction();
  const changing = useAction();
  const facts = view.facts;
  // A fact deleted elsewhere while being edited ends its edit.
  const edited = editing && facts.some((f) => f.id === editing.id) ? editing : null;
  const name = overlay.chat?.character?.name ?? 'the character';

  const pin = async () => {
    const text = draft.trim();
    if (!text || adding.busy) return;
    await adding.run(async () => {
      set(await call('memory.facts.add', { chatKey, text }));
      setDraft('');
      return 'Pinned for this chat.';
    });
    focus('add');
  };

  const startEdit = (fact: MemoryFactView) => {
    changing.clear();
    setEditing({ id: fact.id, text: fact.text });
    focus(`editor:${fact.id}`);
  };
  const cancelEdit = (fact: MemoryFactView) => {
    setEditing(null);
    focus(`edit:${fact.id}`);
  };
  const save = (fact: MemoryFactView) => saveEdit(edited, fact.text, changing, { edit: `edit:${fact.id}`, editor: `editor:${fact.id}` }, {
    send: async (text) => set(await call('memory.facts.update', { chatKey, id: fact.id, text })),
    end: () => setEditing(null),
    focus,
    done: 'Saved.',
  });

  const remove = async (fact: MemoryFactView) => {
    if (changing.busy) return;
    const at = facts.indexOf(fact);
    // Focus goes to the fact that takes its place, else the one before it, else the field to pin one.
    const neighbours = [facts[at + 1], facts[at - 1]].filter((f) => f !== undefined).map((f) => `edit:${f.id}`);
    const removed = await changing.run(async () => {
      set(await call('memory.facts.remove', { chatKey, id: fact.id }));
      if (editing?.id === fact.id) setEditing(null);
      return 'Fact deleted.';
    });
    focus(...(removed ? [...neighbours, 'add'] : [`delete:${fact.id}`]));
  };

  return (
    <div class="create memory" ref={root}>
      <p class="muted small">Pinned facts are always given to {name} in this chat, however long it grows.</p>
      {facts.length === 0 ? <p class="muted small">No pinned facts yet.</p> : (
        <ul aria-label="Pinned facts">
          {facts.map((fact) => {
            const textId = `troupe-memory-${fact.id}`;
            if (edited?.id === fact.id) {
              return (
                <li key={fact.id}>
                  <InlineEditor
                    label="Edit fact"
                    text={edited.text}
                    rows={3}
                    busy={changing.busy}
                    focusKey={`editor:${fact.id}`}
                    onInput={(text) => setEditing({ id: fact.id, text })}
                    onSave={() => void save(fact)}
                    onCancel={() => cancelEdit(fact)}
                  />
                </li>
              );
            }
            return (
              <li key={fact.id}>
                <p id={textId} class="memory-text">{fact.text}</p>
                <div class="active">
                  <span class="grow muted small">{fact.tokens !== null && plural(fact.tokens, 'token', 'tokens')}</span>
                  <button type="button" class="link" disabled={changing.busy} data-focus={`edit:${fact.id}`} aria-describedby={textId} onClick={() => startEdit(fact)}>Edit</button>
                  <button type="button" class="link" disabled={changing.busy} data-focus={`delete:${fact.id}`} aria-describedby={textId} onClick={() => void remove(fact)}>Delete</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ActionOutcomeLine outcome={changing.outcome} />
      <form class="create" aria-label="Add a fact" onSubmit={(e) => { e.preventDefault(); void pin(); }}>
        <label>Remember that…
          <textarea
            rows={2}
            value={draft}
            readOnly={adding.busy}
            data-focus="add"
            aria-keyshortcuts="Control+Enter Meta+Enter"
            onInput={(e) => { setDraft(e.currentTarget.value); adding.clear(); }}
            onKeyDown={(e) => {
              if (!isSubmitKey(e)) return;
              e.preventDefault();
              void pin();
            }}
          />
        </label>
        <div class="active">
          <button type="submit" class="primary" disabled={adding.busy || !draft.trim()}>Pin</button>
        </div>
        <ActionOutcomeLine outcome={adding.outcome} />
      </form>
      <PinMessage view={view} chatKey={chatKey} call={call} set={set} name={name} />
      <LongTerm view={view} chatKey={chatKey} call={call} set={set} name={name} />
      <Summaries view={view} chatKey={chatKey} call={call} set={set} focus={focus} />
    </div>
  );
}

/** One of the chat's newest messages pinned whole as a fact (the fact remembers which message it was). */
function PinMessage({ view, chatKey, call, set, name }: { view: MemoryView; chatKey: string; call: FeatureScope['call']; set(view: MemoryView): void; name: string }) {
  const choices = view.recent.filter((message) => !message.pinned).reverse();
  const [chosen, setChosen] = useState('');
  const pinning = useAction();
  // The newest message unless the person chose another still offered.
  const selected = choices.some((m) => m.id === chosen) ? chosen : (choices[0]?.id ?? '');
  const speaker = (role: string) => (role === 'user' ? 'You' : role === 'assistant' ? name : 'System');
  if (view.recent.length === 0) return null;
  const pin = async () => {
    if (!selected || pinning.busy) return;
    await pinning.run(async () => {
      set(await call('memory.facts.promote', { chatKey, messageId: selected }));
      return 'Message pinned for this chat.';
    });
  };
  return (
    <form class="create" aria-label="Pin from the chat" onSubmit={(e) => { e.preventDefault(); void pin(); }}>
      <label>Pin a message
        <select value={selected} disabled={pinning.busy || choices.length === 0} onChange={(e) => { setChosen(e.currentTarget.value); pinning.clear(); }}>
          {choices.length === 0 ? <option value="">Every recent message is pinned</option> : choices.map((m) => <option key={m.id} value={m.id}>{`${speaker(m.role)}: ${m.preview}`}</option>)}
        </select>
      </label>
      <div class="active">
        <button type="submit" disabled={pinning.busy || !selected}>Pin message</button>
      </div>
      <ActionOutcomeLine outcome={pinning.outcome} />
    </form>
  );
}

/** The character's long-term memory switch: what it kept from its other chats follows it into this one. */
function LongTerm({ view, chatKey, call, set, name }: { view: MemoryView; chatKey: string; call: FeatureScope['call']; set(view: MemoryView): void; name: string }) {
  const switching = useAction();
  // What the person chose shows at once (a box that flips back until the answer comes reads as refused).
  const [asked, setAsked] = useState<boolean | null>(null);
  const { otherChats } = view.longTerm;
  const on = switching.busy && asked !== null ? asked : view.longTerm.on;
  const others = otherChats === 0 ? `no other chat with ${name} on this device yet` : `${plural(otherChats, 'other chat', 'other chats')} with ${name} on this device`;
  const toggle = (next: boolean) => {
    setAsked(next);
    return switching.run(async () => {
      set(await call('memory.longTerm.set', { chatKey, on: next }));
      return next ? `${name} now remembers their other chats.` : `${name} now remembers only this chat.`;
    });
  };
  return (
    <div class="create">
      <label class="switch">
        <input type="checkbox" checked={on} disabled={switching.busy} aria-describedby="troupe-memory-long-term" onChange={(e) => void toggle(e.currentTarget.checked)} />
        Long-term memory: {name} remembers their other chats
      </label>
      <p id="troupe-memory-long-term" class="muted small">
        {on
          ? `Facts pinned in ${name}'s other chats are always given here; what they said there comes back when a message asks about it (${others}).`
          : `Off: ${name} knows only this chat (${others}). The setting is ${name}'s, in every chat and on your paired devices.`}
      </p>
      <ActionOutcomeLine outcome={switching.outcome} />
    </div>
  );
}

/**
 * The summaries that stand for the chat's older messages, oldest first: each corrected in place or
 * made again, or the whole chat summarised again. Making one again forgets it at once; the background
 * writes the new one when it can (and announces it).
 */
function Summaries({ view, chatKey, call, set, focus }: {
  view: MemoryView; chatKey: string; call: FeatureScope['call'];
  set(view: MemoryView): void; focus(...keys: string[]): void;
}) {
  const [editing, setEditing] = useState<Edit | null>(null);
  const acting = useAction();
  const summaries = view.summaries;
  // A summary made again or merged elsewhere while being edited ends its edit.
  const edited = editing && summaries.some((s) => s.id === editing.id) ? editing : null;

  const startEdit = (summary: MemorySummaryView) => {
    acting.clear();
    setEditing({ id: summary.id, text: summary.text });
    focus(`summary-editor:${summary.id}`);
  };
  const cancelEdit = (summary: MemorySummaryView) => {
    setEditing(null);
    focus(`summary-edit:${summary.id}`);
  };
  const save = (summary: MemorySummaryView) => saveEdit(edited, summary.text, acting, { edit: `summary-edit:${summary.id}`, editor: `summary-editor:${summary.id}` }, {
    send: async (text) => set(await call('memory.summaries.update', { chatKey, id: summary.id, text })),
    end: () => setEditing(null),
    focus,
    done: 'Summary saved.',
  });

  const redo = async (summary: MemorySummaryView) => {
    if (acting.busy) return;
    const at = summaries.indexOf(summary);
    // It is forgotten until made again: focus goes to the summary that takes its place, else the one before it, else the heading.
    const neighbours = [summaries[at + 1], summaries[at - 1]].filter((s) => s !== undefined).map((s) => `summary-redo:${s.id}`);
    const done = await acting.run(async () => {
      set(await call('memory.summaries.redo', { chatKey, id: summary.id }));
      return 'This summary will be made again in the background.';
    });
    focus(...(done ? [`summary-redo:${summary.id}`, ...neighbours, 'summaries'] : [`summary-redo:${summary.id}`]));
  };
  const redoAll = async () => {
    if (acting.busy) return;
    const done = await acting.run(async () => {
      set(await call('memory.summaries.redo', { chatKey }));
      setEditing(null);
      return 'The whole chat will be summarised again in the background.';
    });
    focus(...(done ? ['summary-redo-all', 'summaries'] : ['summary-redo-all']));
  };

  return (
    <div class="create memory-summaries">
      {/* Focus lands here when what had it went (every summary made again). */}
      <h4 id="troupe-memory-summaries" tabIndex={-1} data-focus="summaries">Summaries</h4>
      <p class="muted small">{keptLine(view.messages)}</p>
      {view.summariser && <p class="muted small" aria-label="Who writes summaries">{view.summariser.text}</p>}
      {summaries.length === 0 ? <p class="muted small">No summaries yet: Troupe summarises a chat once it is long, in the background.</p> : (
        <ul aria-label="Summaries">
          {summaries.map((summary) => {
            const textId = `troupe-memory-summary-${summary.id}`;
            if (edited?.id === summary.id) {
              return (
                <li key={summary.id}>
                  <InlineEditor
                    label="Edit summary"
                    text={edited.text}
                    rows={6}
                    busy={acting.busy}
                    focusKey={`summary-editor:${summary.id}`}
                    onInput={(text) => setEditing({ id: summary.id, text })}
                    onSave={() => void save(summary)}
                    onCancel={() => cancelEdit(summary)}
                  />
                </li>
              );
            }
            return (
              <li key={summary.id}>
                <p id={textId} class="memory-text">{summary.text}</p>
                <p class="muted small memory-about">{summaryLine(summary)}</p>
                <div class="active">
                  <span class="grow" />
                  <button type="button" class="link" disabled={acting.busy} data-focus={`summary-edit:${summary.id}`} aria-describedby={textId} onClick={() => startEdit(summary)}>Edit</button>
                  <button type="button" class="link" disabled={acting.busy} data-focus={`summary-redo:${summary.id}`} aria-describedby={textId} onClick={() => void redo(summary)}>Make again</button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {summaries.length > 0 && (
        <div class="active">
          <button type="button" disabled={acting.busy} data-focus="summary-redo-all" onClick={() => void redoAll()}>Summarise the whole chat again</button>
        </div>
      )}
      <ActionOutcomeLine outcome={acting.outcome} />
    </div>
  );
}

export const memory = defineFeature({
  id: 'memory',
  title: 'Memory',
  needs: 'character',
  load: ({ chatKey, call }) => call('memory.get', { chatKey }),
  // Facts pinned, edited or removed in another tab or on another device, summaries written by the
  // background, or costs counted anew, announce `memory-changed`.
  reloadOn: ['memory-changed', 'chat-changed'],
  Component: Memory,
  summary: ({ facts, summaries }) => [
    facts.length === 0 ? 'No pinned facts' : plural(facts.length, 'pinned fact', 'pinned facts'),
    ...(summaries.length > 0 ? [plural(summaries.length, 'summary', 'summaries')] : []),
  ].join(' · '),
});
