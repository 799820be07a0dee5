/** An editable, reorderable list of texts (greetings, sources): add, remove, move up and down. */
export function ListEditor({ items, onChange, itemLabel, multiline = true }: {
  items: string[];
  onChange(items: string[]): void;
  /** What one item is called, e.g. "Alternate greeting" (names every control: "Remove alternate greeting 2"). */
  itemLabel: string;
  multiline?: boolean;
}) {
  const lower = itemLabel.toLowerCase();
  const set = (i: number, value: string) => onChange(items.map((item, j) => (j === i ? value : item)));
  const move = (i: number, by: number) => {
    const next = [...items];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    onChange(next);
  };
  return (
    <fieldset class="tl-list-editor">
      <legend>{itemLabel}s</legend>
      {items.length === 0 && <p class="tl-muted tl-small">None.</p>}
      <ol>
        {items.map((item, i) => (
          <li key={i}>
            {multiline
              ? <textarea rows={3} aria-label={`${itemLabel} ${i + 1}`} value={item} onInput={(e) => set(i, e.currentTarget.value)} />
              : <input aria-label={`${itemLabel} ${i + 1}`} value={item} onInput={(e) => set(i, e.currentTarget.value)} />}
            <span class="tl-row-actions">
              <button type="button" aria-label={`Move ${lower} ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
              <button type="button" aria-label={`Move ${lower} ${i + 1} down`} disabled={i === items.length - 1} onClick={() => move(i, 1)}>↓</button>
              <button type="button" aria-label={`Remove ${lower} ${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>✕</button>
            </span>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onChange([...items, ''])}>Add {lower}</button>
    </fieldset>
  );
}

/** Creator notes per language: a language code and its text, rows added and removed. */
export function LanguageNotesEditor({ notes, onChange }: { notes: [string, string][]; onChange(notes: [string, string][]): void }) {
  const set = (i: number, pair: [string, string]) => onChange(notes.map((old, j) => (j === i ? pair : old)));
  return (
    <fieldset class="tl-list-editor">
      <legend>Creator notes in other languages</legend>
      {notes.length === 0 && <p class="tl-muted tl-small">None.</p>}
      <ol>
        {notes.map(([lang, text], i) => (
          <li key={i}>
            <input class="tl-lang" aria-label={`Language code ${i + 1}`} placeholder="fr" value={lang} onInput={(e) => set(i, [e.currentTarget.value, text])} />
            <textarea rows={2} aria-label={`Creator notes ${lang || i + 1}`} value={text} onInput={(e) => set(i, [lang, e.currentTarget.value])} />
            <button type="button" aria-label={`Remove notes ${lang || i + 1}`} onClick={() => onChange(notes.filter((_, j) => j !== i))}>✕</button>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onChange([...notes, ['', '']])}>Add language</button>
    </fieldset>
  );
}
