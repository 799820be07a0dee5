/**
 * Before the first message of a character chat: the greeting the character opens with, and a way to
 * swipe through the card's alternates, in the panel and as the first row of NextChat's own list. The
 * chosen one is what the prompt sends.
 */
import { substituteMacros } from '@troupe/shared/macros';
import { DEFAULT_USER_NAME } from '@troupe/shared/prompt';
import type { ChatSettingsView } from '../../../messaging/protocols/chat-protocol.ts';
import type { ChatState } from '../../../messaging/chat-types.ts';
import { followGreetingRow } from '../../nextchat/greeting-row.ts';
import { readChatSettings, saveChatSettings } from '../chat-settings.ts';
import { defineFeature, type FeatureProps, type FeatureScope } from '../feature.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';

export interface ChosenGreeting {
  /** The chosen greeting with `{{char}}` and `{{user}}` resolved as the prompt will send it. */
  text: string;
  index: number;
  count: number;
  /** True until the person has answered (the greeting can still be swapped). */
  beforeFirstReply: boolean;
}

/**
 * The greeting `chat` starts with, or null (no character, or a card without greetings). A preview:
 * random macros may roll differently when sent.
 */
export function chosenGreeting(view: ChatSettingsView, chat: ChatState | null): ChosenGreeting | null {
  const character = chat?.chatKey === view.chatKey ? chat.character : null;
  if (!character || !view.greetings.some((g) => g.trim())) return null;
  const count = view.greetings.length;
  const index = view.settings.greetingIndex < count ? view.settings.greetingIndex : 0;
  const user = (view.settings.persona ?? view.defaultPersona).name.trim() || DEFAULT_USER_NAME;
  const text = substituteMacros(view.greetings[index] ?? '', { char: character.name, user, chatId: view.chatKey }).text;
  return { text, index, count, beforeFirstReply: (chat?.logCount ?? 0) === 0 };
}

/** The greeting `next` steps away (wrapping around), saved as the chat's choice. */
const swipeTo = (scope: FeatureScope<'character'>, next: number, count: number) => saveChatSettings(scope, { greetingIndex: (next + count) % count });

function Greeting({ data, overlay, scope, set }: FeatureProps<ChatSettingsView, 'character'>) {
  const swipe = useAction();
  const greeting = chosenGreeting(data, overlay.chat);
  const character = overlay.chat?.character;
  if (!greeting || !character || !greeting.beforeFirstReply) return null;
  const { text: preview, index, count } = greeting;
  const choose = (next: number) => void swipe.run(async () => { set(await swipeTo(scope, next, count)); });
  return (
    <div class="create">
      <p class="muted small">{character.name} opens this chat with:</p>
      <blockquote class="greeting" aria-label="Greeting text" style={{ margin: 0, whiteSpace: 'pre-wrap', maxHeight: '8em', overflow: 'auto' }}>{preview}</blockquote>
      <div class="active">
        <button type="button" disabled={count < 2} onClick={() => choose(index - 1)}>Previous greeting</button>
        <span class="grow muted small" aria-live="polite">{index + 1} of {count}</span>
        <button type="button" disabled={count < 2} onClick={() => choose(index + 1)}>Next greeting</button>
      </div>
      <ActionOutcomeLine outcome={swipe.outcome} />
    </div>
  );
}

export const greeting = defineFeature({
  id: 'greeting',
  title: 'Greeting',
  needs: 'character',
  defaultOpen: true,
  load: readChatSettings,
  reloadOn: ['chat-changed'],
  start(scope, run) {
    // The greeting opens the conversation in NextChat's own list too (swipeable until the first answer).
    const row = followGreetingRow(document, () => {
      const view = run.data();
      const { chat } = run.overlay.get();
      const chosen = view ? chosenGreeting(view, chat) : null;
      if (!chosen || !chat?.character) return null;
      const onSwipe = (next: number) => { swipeTo(scope, next, chosen.count).then(run.set, run.fail); };
      return { character: chat.character, text: chosen.text, index: chosen.index, count: chosen.count, canSwipe: chosen.beforeFirstReply, onSwipe };
    }, scope.signal);
    run.watch(() => row.refresh());
  },
  Component: Greeting,
});
