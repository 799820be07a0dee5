import { substituteMacros } from '@troupe/shared/macros';
import { DEFAULT_USER_NAME } from '@troupe/shared/prompt';
import type { OverlayState } from './overlay-state.ts';

export interface ChosenGreeting {
  /** The chosen greeting with `{{char}}` and `{{user}}` resolved as the prompt will send it. */
  text: string;
  index: number;
  count: number;
  /** True until the person has answered (the greeting can still be swapped). */
  beforeFirstReply: boolean;
}

/**
 * The greeting the open character chat starts with, or null (no character, settings not read yet, or
 * a card without greetings). A preview: random macros may roll differently when sent.
 */
export function chosenGreeting(state: OverlayState): ChosenGreeting | null {
  const character = state.chat?.character;
  const view = state.settings;
  if (!character || !view || view.chatKey !== state.chatKey || !view.greetings.some((g) => g.trim())) return null;
  const count = view.greetings.length;
  const index = view.settings.greetingIndex < count ? view.settings.greetingIndex : 0;
  const user = (view.settings.persona ?? view.defaultPersona).name.trim() || DEFAULT_USER_NAME;
  const text = substituteMacros(view.greetings[index] ?? '', { char: character.name, user, chatId: view.chatKey }).text;
  return { text, index, count, beforeFirstReply: (state.chat?.logCount ?? 0) === 0 };
}
