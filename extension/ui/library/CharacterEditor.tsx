import { useEffect, useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import type { CharacterData } from '@troupe/shared/cards';
import { EDITABLE_LIST_FIELDS, EDITABLE_TEXT_FIELDS, type CharacterDetail, type CharacterExportFormat, type CharacterPatch, type LorebookItem } from '../../messaging/library-wire.ts';
import { MAX_CHARACTER_NAME } from '../../messaging/limits/general.ts';
import { Avatar } from '../avatar.tsx';
import { AssetList } from './AssetList.tsx';
import { downloadFile, errorText } from '../../client/library-client.ts';
import { LanguageNotesEditor, ListEditor } from './ListEditor.tsx';
import { LorebookEditor } from './LorebookEditor.tsx';

/** The editor's copy of the card, in the shapes its controls use. */
interface Draft {
  name: string;
  nickname: string;
  description: string;
  personality: string;
  scenario: string;
  first_mes: string;
  alternate_greetings: string[];
  group_only_greetings: string[];
  mes_example: string;
  system_prompt: string;
  post_history_instructions: string;
  creator_notes: string;
  creator_notes_multilingual: [string, string][];
  tags: string;
  creator: string;
  character_version: string;
  source: string[];
  world: string;
}

function draftOf(data: CharacterData): Draft {
  const world = data.extensions['world'];
  return {
    name: data.name,
    nickname: data.nickname ?? '',
    description: data.description,
    personality: data.personality,
    scenario: data.scenario,
    first_mes: data.first_mes,
    alternate_greetings: [...data.alternate_greetings],
    group_only_greetings: [...data.group_only_greetings],
    mes_example: data.mes_example,
    system_prompt: data.system_prompt,
    post_history_instructions: data.post_history_instructions,
    creator_notes: data.creator_notes,
    creator_notes_multilingual: Object.entries(data.creator_notes_multilingual ?? {}),
    tags: data.tags.join(', '),
    creator: data.creator,
    character_version: data.character_version,
    source: [...(data.source ?? [])],
    world: typeof world === 'string' ? world : '',
  };
}

/** The fields that differ between the draft and the stored card, as a patch. */
export function patchOf(original: Draft, draft: Draft): CharacterPatch {
  const patch: CharacterPatch = {};
  for (const key of EDITABLE_TEXT_FIELDS) if (draft[key] !== original[key]) patch[key] = draft[key];
  // Tags are edited as one comma-separated line, below.
  for (const key of EDITABLE_LIST_FIELDS) if (key !== 'tags' && JSON.stringify(draft[key]) !== JSON.stringify(original[key])) patch[key] = draft[key];
  if (draft.tags !== original.tags) patch.tags = draft.tags.split(',').map((t) => t.trim()).filter(Boolean);
  if (JSON.stringify(draft.creator_notes_multilingual) !== JSON.stringify(original.creator_notes_multilingual)) {
    patch.creator_notes_multilingual = Object.fromEntries(draft.creator_notes_multilingual.filter(([lang]) => lang.trim()).map(([lang, note]) => [lang.trim(), note]));
  }
  return patch;
}

const EXPORTS: readonly [CharacterExportFormat, string][] = [['png', 'Export PNG'], ['json', 'Export JSON'], ['charx', 'Export CHARX']];

/** Every V3 field of one character, its assets and its lorebook; export and delete. */
export function CharacterEditor({ id, onClose, onDelete }: { id: string; onClose(): void; onDelete(id: string, name: string): void }) {
  const [detail, setDetail] = useState<CharacterDetail | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [books, setBooks] = useState<LorebookItem[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const show = (next: CharacterDetail) => {
    setDetail(next);
    setDraft(draftOf(next.character.data));
  };
  useEffect(() => {
    setDetail(null);
    setMessage(null);
    callBackground('library.character.get', { id }).then(show, (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }));
    callBackground('library.lorebooks', { search: '' }).then(setBooks, () => setBooks([]));
  }, [id]);

  if (!detail || !draft) return <section class="tl-editor" aria-label="Character editor">{message ? <p role="alert" class="tl-error">{message.text}</p> : <p>Loading…</p>}</section>;
  const original = draftOf(detail.character.data);
  const patch = patchOf(original, draft);
  const dirty = Object.keys(patch).length > 0;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...draft, [key]: value });
  const name = detail.item.name;

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      show(await callBackground('library.character.update', { id, patch }));
      setMessage({ kind: 'ok', text: 'Saved.' });
    } catch (error) {
      setMessage({ kind: 'error', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  const exportAs = async (format: CharacterExportFormat) => {
    try {
      downloadFile(await callBackground('library.export', { kind: 'character', id, format }));
    } catch (error) {
      setMessage({ kind: 'error', text: errorText(error) });
    }
  };
  const text = (key: keyof Draft & ('nickname' | 'creator' | 'character_version'), label: string) => (
    <label>{label}<input value={draft[key]} onInput={(e) => set(key, e.currentTarget.value)} /></label>
  );
  const area = (key: 'description' | 'personality' | 'scenario' | 'first_mes' | 'mes_example' | 'system_prompt' | 'post_history_instructions' | 'creator_notes', label: string, rows = 4) => (
    <label>{label}<textarea rows={rows} value={draft[key]} onInput={(e) => set(key, e.currentTarget.value)} /></label>
  );

  return (
    <section class="tl-editor" aria-label="Character editor">
      <header class="tl-editor-head">
        <Avatar name={name} src={detail.item.avatar} />
        <h3>{name}</h3>
        <span class="tl-grow" />
        {EXPORTS.map(([format, label]) => <button key={format} type="button" onClick={() => void exportAs(format)}>{label}</button>)}
        {detail.character.data.character_book && <button type="button" onClick={() => void exportAs('worldinfo')}>Export lorebook as World Info</button>}
        <button type="button" class="tl-danger" aria-label={`Delete ${name}`} onClick={() => onDelete(id, name)}>Delete</button>
        <button type="button" aria-label="Close editor" onClick={onClose}>✕</button>
      </header>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} class={`tl-${message.kind}`}>{message.text}</p>}
      <form class="tl-form" aria-label={`Edit ${name}`} onSubmit={save}>
        <label>Name<input required maxLength={MAX_CHARACTER_NAME} value={draft.name} onInput={(e) => set('name', e.currentTarget.value)} /></label>
        {text('nickname', 'Nickname')}
        {area('description', 'Description', 6)}
        {area('personality', 'Personality', 2)}
        {area('scenario', 'Scenario', 3)}
        {area('first_mes', 'First message', 4)}
        <ListEditor itemLabel="Alternate greeting" items={draft.alternate_greetings} onChange={(v) => set('alternate_greetings', v)} />
        <ListEditor itemLabel="Group-only greeting" items={draft.group_only_greetings} onChange={(v) => set('group_only_greetings', v)} />
        {area('mes_example', 'Example messages', 5)}
        {area('system_prompt', 'System prompt', 3)}
        {area('post_history_instructions', 'Post-history instructions', 3)}
        {area('creator_notes', 'Creator notes', 3)}
        <LanguageNotesEditor notes={draft.creator_notes_multilingual} onChange={(v) => set('creator_notes_multilingual', v)} />
        <label>Tags (comma-separated)<input value={draft.tags} onInput={(e) => set('tags', e.currentTarget.value)} /></label>
        {text('creator', 'Creator')}
        {text('character_version', 'Character version')}
        <ListEditor itemLabel="Source" multiline={false} items={draft.source} onChange={(v) => set('source', v)} />
        <label>
          Linked World Info
          <input list="tl-books" value={draft.world} onInput={(e) => set('world', e.currentTarget.value)} />
          <datalist id="tl-books">{books.map((b) => <option key={b.id} value={b.name} />)}</datalist>
        </label>
        {detail.linkedWorld && (
          <p class="tl-muted tl-small" role="note">
            {detail.linkedWorld.lorebookId ? `Uses the lorebook “${detail.linkedWorld.name}” from your library.` : `The lorebook “${detail.linkedWorld.name}” is not in your library: import it to use it.`}
          </p>
        )}
        <div class="tl-form-actions">
          <button type="submit" class="tl-primary" disabled={!dirty || busy || !draft.name.trim()}>Save changes</button>
          <button type="button" disabled={!dirty || busy} onClick={() => setDraft(original)}>Discard changes</button>
        </div>
      </form>
      <AssetList characterId={id} assets={detail.assets} onChanged={show} />
      <LorebookEditor target={{ kind: 'character', id }} title={`Lorebook of ${name}`} />
    </section>
  );
}
