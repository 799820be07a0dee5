/**
 * The chat's memory: facts the person pinned ("remember that …"), given to the character on every
 * turn of this chat however long it grows, each with what it costs in the prompt.
 */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MemoryFactView, MemoryView } from '../../../messaging/protocols/memory-protocol.ts';
import { defineFeature, type FeatureProps } from '../feature.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';

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

function Memory({ data: view, scope, set, overlay }: FeatureProps<MemoryView, 'character'>) {
  const { chatKey, call } = scope;
  const root = useRef<HTMLDivElement>(null);
  const focus = useFocusAfterRender(root);
  // What the person typed survives reloads (an announcement from another tab) and refusals.
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
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
  const saveEdit = async (fact: MemoryFactView) => {
    if (!edited || changing.busy) return;
    const text = edited.text.trim();
    if (!text) return;
    if (text === fact.text) return cancelEdit(fact);
    const saved = await changing.run(async () => {
      set(await call('memory.facts.update', { chatKey, id: fact.id, text }));
      setEditing(null);
      return 'Saved.';
    });
    focus(saved ? `edit:${fact.id}` : `editor:${fact.id}`);
  };

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
                  <form class="create" aria-label="Edit fact" onSubmit={(e) => { e.preventDefault(); void saveEdit(fact); }}>
                    <label>Edit fact
                      <textarea
                        rows={3}
                        value={edited.text}
                        readOnly={changing.busy}
                        data-focus={`editor:${fact.id}`}
                        aria-keyshortcuts="Control+Enter Meta+Enter Escape"
                        onInput={(e) => setEditing({ id: fact.id, text: e.currentTarget.value })}
                        onKeyDown={(e) => {
                          if (isSubmitKey(e)) {
                            e.preventDefault();
                            void saveEdit(fact);
                          } else if (e.key === 'Escape') {
                            // The edit ends, not the panel (a phone's sheet closes on Escape).
                            e.preventDefault();
                            e.stopPropagation();
                            cancelEdit(fact);
                          }
                        }}
                      />
                    </label>
                    <div class="active">
                      <button type="submit" class="primary" disabled={changing.busy || !edited.text.trim()}>Save</button>
                      <button type="button" disabled={changing.busy} onClick={() => cancelEdit(fact)}>Cancel</button>
                    </div>
                  </form>
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
    </div>
  );
}

export const memory = defineFeature({
  id: 'memory',
  title: 'Memory',
  needs: 'character',
  load: ({ chatKey, call }) => call('memory.get', { chatKey }),
  // Facts pinned, edited or removed in another tab or on another device, or counted anew, announce `memory-changed`.
  reloadOn: ['memory-changed', 'chat-changed'],
  Component: Memory,
  summary: ({ facts }) => (facts.length === 0 ? 'No pinned facts' : plural(facts.length, 'pinned fact', 'pinned facts')),
});
