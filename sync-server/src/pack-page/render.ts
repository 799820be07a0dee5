/**
 * The page's DOM: the loading line, a problem, or the pack's characters with their download buttons.
 * Every piece of card text goes in through textContent or an attribute that is never markup, so
 * nothing a card holds can become HTML or script (the CSP refuses inline script anyway).
 */
import { countLabel, type CharacterSummary } from './character-summary.ts';
import { problemMessage } from './messages.ts';
import type { PageProblem } from './problems.ts';

/** What the page lists once a pack is open. */
export interface PackView {
  characters: CharacterSummary[];
  /** Standalone lorebooks (not a character's own book). */
  lorebooks: { name: string; entries: number }[];
  personas: number;
}

export type DownloadKind = 'png' | 'charx';

/** What the buttons do; the page wires them to the opened pack, tests to stubs. */
export interface ViewActions {
  /** A URL for the character's avatar (a blob: URL), or null to show none. */
  avatarUrl(index: number): string | null;
  /** Saves a character's card; resolves to a note to show beside the buttons, or null. */
  downloadCharacter(index: number, kind: DownloadKind): Promise<string | null>;
  /** Saves a standalone lorebook as SillyTavern World Info. */
  downloadLorebook(index: number): void;
}

export const BUTTON_LABELS = { png: 'Download PNG (V3)', charx: 'Download CHARX', lorebook: 'Download World Info (JSON)' } as const;

type Child = Node | string;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attrs: Record<string, string> = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  // append() turns strings into Text nodes: never parsed as markup.
  node.append(...children);
  return node;
}

/** Shows that the pack is being fetched and opened. */
export function renderLoading(root: HTMLElement): void {
  const doc = root.ownerDocument;
  root.replaceChildren(el(doc, 'h1', {}, ['A character pack']), el(doc, 'p', { role: 'status' }, ['Downloading and unlocking the pack in your browser…']));
  root.dataset['state'] = 'loading';
}

/**
 * Troupe, installed in this browser, opens the pack in its own import page (a new tab): this page does
 * not download and unlock it a second time, and offers to, for someone who wants the card files.
 */
export function renderOpenedInTroupe(root: HTMLElement, showHere: () => void): void {
  const doc = root.ownerDocument;
  const button = el(doc, 'button', { type: 'button' }, ['Show it here instead']);
  button.addEventListener('click', () => showHere(), { once: true });
  root.replaceChildren(
    el(doc, 'h1', {}, ['Opening in Troupe']),
    el(doc, 'p', { role: 'status' }, ['Troupe is installed in this browser: the pack opens in its own page, in a new tab, where you can add its characters to your library.']),
    el(doc, 'p', {}, [button, ' to download its characters as card files from this page.']),
  );
  root.dataset['state'] = 'troupe';
}

/** Shows why there is no pack to offer: the problem's title and sentences, and its code for whoever helps. */
export function renderProblem(root: HTMLElement, problem: PageProblem): void {
  const doc = root.ownerDocument;
  const message = problemMessage(problem);
  const alert = el(doc, 'section', { role: 'alert', class: 'problem' }, [el(doc, 'h1', {}, [message.title]), el(doc, 'p', {}, [message.text])]);
  const detail = problem.detail ? `${problem.code}: ${problem.detail}` : problem.code;
  alert.append(el(doc, 'p', { class: 'detail' }, [el(doc, 'small', {}, [detail])]));
  root.replaceChildren(alert);
  root.dataset['state'] = 'problem';
  root.dataset['problem'] = problem.code;
}

/** Lists the pack's characters (and standalone lorebooks) with their download buttons. */
export function renderPack(root: HTMLElement, view: PackView, actions: ViewActions): void {
  const doc = root.ownerDocument;
  const count = countLabel(view.characters.length, 'character', 'characters');
  const children: Node[] = [
    el(doc, 'h1', {}, [`A character pack: ${count}`]),
    el(doc, 'p', { class: 'lead' }, [
      'Download a character as a card for SillyTavern or another card-based chat app: the PNG card carries the avatar, the CHARX carries every image and sound. In SillyTavern, use "Import Character from File".',
    ]),
    el(doc, 'ul', { class: 'characters', 'aria-label': 'Characters' }, view.characters.map((character, index) => characterItem(doc, character, index, actions))),
  ];
  if (view.lorebooks.length > 0) {
    children.push(
      el(doc, 'h2', {}, ['Lorebooks']),
      el(
        doc,
        'ul',
        { class: 'lorebooks', 'aria-label': 'Lorebooks' },
        view.lorebooks.map((book, index) => {
          const button = el(doc, 'button', { type: 'button' }, [BUTTON_LABELS.lorebook]);
          button.addEventListener('click', () => actions.downloadLorebook(index));
          return el(doc, 'li', {}, [el(doc, 'span', { class: 'name' }, [book.name]), ' ', el(doc, 'span', { class: 'meta' }, [countLabel(book.entries, 'entry', 'entries')]), ' ', button]);
        }),
      ),
    );
  }
  if (view.personas > 0) {
    children.push(el(doc, 'p', { class: 'note' }, [`The pack also holds ${countLabel(view.personas, 'persona', 'personas')}, which only Troupe imports.`]));
  }
  root.replaceChildren(...children);
  root.dataset['state'] = 'pack';
}

function characterItem(doc: Document, character: CharacterSummary, index: number, actions: ViewActions): HTMLLIElement {
  const item = el(doc, 'li', { class: 'character' });
  const url = actions.avatarUrl(index);
  const avatar = url === null ? el(doc, 'div', { class: 'avatar none', 'aria-hidden': 'true' }) : el(doc, 'img', { class: 'avatar', alt: '', src: url, decoding: 'async' });
  const meta = [countLabel(character.lorebookEntries, 'lorebook entry', 'lorebook entries')];
  if (character.otherAssets > 0) meta.push(`${countLabel(character.otherAssets, 'more file', 'more files')} in the CHARX`);
  const note = el(doc, 'p', { class: 'note', role: 'status' });
  const buttons = (['png', 'charx'] as const).map((kind) => {
    const button = el(doc, 'button', { type: 'button' }, [BUTTON_LABELS[kind]]);
    button.addEventListener('click', () => {
      button.disabled = true;
      note.textContent = '';
      actions.downloadCharacter(index, kind).then(
        (text) => {
          note.textContent = text ?? '';
        },
        (error: unknown) => {
          note.textContent = `This card could not be made: ${error instanceof Error ? error.message : String(error)}`;
        },
      ).finally(() => {
        button.disabled = false;
      });
    });
    return button;
  });
  item.append(
    avatar,
    el(doc, 'div', { class: 'about' }, [
      el(doc, 'h2', { class: 'name' }, [character.name]),
      el(doc, 'p', { class: 'blurb' }, [character.blurb]),
      el(doc, 'p', { class: 'meta' }, [meta.join(' · ')]),
      el(doc, 'p', { class: 'actions' }, [buttons[0]!, ' ', buttons[1]!]),
      note,
    ]),
  );
  return item;
}
