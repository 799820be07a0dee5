import { activate, emptyTimedState, loreBookFromCharacterBook, type ActivationResult, type CharacterBookLike, type LoreBook, type LoreBookSet, type LoreTimedState } from '../lore/index.ts';
import type { BuildContext } from './assemble-context.ts';
import type { Slot } from './assemble-slots.ts';
import type { PromptCard } from './assemble-types.ts';
import { messageText } from './types.ts';

/** The parts of an activation the build uses. */
export type Activation = Pick<ActivationResult, 'entries' | 'buckets' | 'warnings' | 'budget' | 'skippedForBudget' | 'timedState' | 'passes'>;

/** Converted card books, so a 5,000-entry book is not rebuilt (and recompiled) on every turn. */
const cardBooks = new WeakMap<CharacterBookLike, LoreBook>();

function cardBookOf(card: PromptCard): LoreBook | null {
  const source = card.character_book;
  if (!source || !Array.isArray(source.entries) || source.entries.length === 0) return null;
  let book = cardBooks.get(source);
  if (!book) {
    book = loreBookFromCharacterBook(source, `${card.name} (card)`);
    cardBooks.set(source, book);
  }
  return book;
}

/** A build without any book: nothing inserted, and the chat's timed state handed back as it came. */
function noLore(timedState: LoreTimedState | null | undefined): Activation {
  return {
    entries: [],
    buckets: { before: [], after: [], anTop: [], anBottom: [], emTop: [], emBottom: [], atDepth: [] },
    warnings: [],
    budget: { limit: 0, used: 0, overflowed: false },
    skippedForBudget: [],
    timedState: timedState ?? emptyTimedState(),
    passes: 0,
  };
}

/**
 * Runs the lorebook over the history (`Name: text` lines, oldest first), or returns an empty result when
 * there is no book. Its macros run in the build's runner, so lore sees and sets the chat's variables.
 */
export function activateLore(build: BuildContext, history: readonly Slot[], available: number, injected: readonly string[]): Activation {
  const { input, card, userName, charName, macros } = build;
  const options = input.lore ?? {};
  const cardBook = options.cardBook === false ? null : cardBookOf(card);
  const extra = options.books ?? {};
  const books: LoreBookSet = { ...extra, character: cardBook ? [cardBook, ...(extra.character ?? [])] : extra.character };
  const hasBooks = [books.chat, books.persona, books.character, books.global].some((list) => (list?.length ?? 0) > 0);
  if (!hasBooks) return noLore(options.timedState);
  const lines = history.map(({ message }) => {
    const text = messageText(message);
    if (message.role === 'user') return `${userName}: ${text}`;
    if (message.role === 'assistant') return `${charName}: ${text}`;
    return text;
  });
  return activate({
    books,
    messages: lines,
    contextSize: available,
    countTokens: input.countTokens,
    settings: options.settings,
    timedState: options.timedState,
    chatLength: input.chatLength,
    rng: options.rng,
    substitute: (text) => macros.run(text, 'lore'),
    injected,
    dryRun: options.dryRun,
  });
}
