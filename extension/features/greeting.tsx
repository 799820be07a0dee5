import { substituteMacros } from '@troupe/shared/macros';
import { DEFAULT_USER_NAME } from '@troupe/shared/prompt';
import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../ui/overlay-context.ts';

/**
 * Before the first message of a character chat: the greeting the character opens with, and a way to
 * swipe through the card's alternates. The chosen one is what the prompt sends.
 */
function Greeting() {
  const { state, actions } = useOverlay();
  const character = state.chat?.character;
  const view = state.settings;
  if (!character || !view || view.chatKey !== state.chatKey || (state.chat?.logCount ?? 0) > 0 || !view.greetings.some((g) => g.trim())) return null;
  const count = view.greetings.length;
  const index = view.settings.greetingIndex < count ? view.settings.greetingIndex : 0;
  const user = (view.settings.persona ?? view.defaultPersona).name.trim() || DEFAULT_USER_NAME;
  // A preview: names resolved as the prompt will; random macros may roll differently when sent.
  const preview = substituteMacros(view.greetings[index] ?? '', { char: character.name, user, chatId: view.chatKey }).text;
  const choose = (next: number) => void actions.updateSettings({ greetingIndex: (next + count) % count });
  return (
    <div class="create">
      <p class="muted small">{character.name} opens this chat with:</p>
      <blockquote class="greeting" aria-label="Greeting text" style={{ margin: 0, whiteSpace: 'pre-wrap', maxHeight: '8em', overflow: 'auto' }}>{preview}</blockquote>
      <div class="active">
        <button type="button" disabled={count < 2} onClick={() => choose(index - 1)}>Previous greeting</button>
        <span class="grow muted small" aria-live="polite">{index + 1} of {count}</span>
        <button type="button" disabled={count < 2} onClick={() => choose(index + 1)}>Next greeting</button>
      </div>
    </div>
  );
}

export const greeting: PanelFeature = { id: 'greeting', title: 'Greeting', Component: Greeting, defaultOpen: true };
