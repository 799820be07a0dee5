import type { Character } from '../cards/index.ts';
import { startMacros, type MacroRunner } from './assemble-macros.ts';
import type { AssembleInput, PromptCard, PromptTemplates } from './assemble-types.ts';
import { DEFAULT_USER_NAME } from './defaults.ts';
import type { ChatMessage } from './types.ts';

/**
 * What every phase of one build reads. The macro runner is shared on purpose: the phases must run in
 * the documented order so that macro variables thread through the parts as SillyTavern threads them.
 */
export interface BuildContext {
  readonly input: AssembleInput;
  readonly card: PromptCard;
  readonly templates: PromptTemplates;
  /** Whether the card's `system_prompt` / `post_history_instructions` replace the templates. */
  readonly preferCard: boolean;
  /** `{{user}}`: the persona's name, or the default. */
  readonly userName: string;
  /** The character as the chat names it: the nickname when set. */
  readonly charName: string;
  readonly macros: MacroRunner;
}

/** The card fields of a full character (its `data`) or of a bare prompt card. */
function cardOf(character: Character | PromptCard): PromptCard {
  return 'spec' in character && typeof character.data === 'object' && character.data !== null ? (character.data as PromptCard) : (character as PromptCard);
}

/** Resolves the card, the names and the templates once, and starts the macro runner on `chat`. */
export function startBuild(input: AssembleInput, chat: readonly ChatMessage[]): BuildContext {
  const card = cardOf(input.character);
  const templates = input.templates ?? {};
  const userName = input.persona?.name?.trim() || DEFAULT_USER_NAME;
  return {
    input,
    card,
    templates,
    preferCard: templates.preferCardPrompts !== false,
    userName,
    charName: card.nickname?.trim() || card.name,
    macros: startMacros(input, card, userName, chat),
  };
}
