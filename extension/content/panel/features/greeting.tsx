import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../overlay-context.ts';
import { chosenGreeting } from '../../overlay/greeting-view.ts';

/**
 * Before the first message of a character chat: the greeting the character opens with, and a way to
 * swipe through the card's alternates. The chosen one is what the prompt sends.
 */
function Greeting() {
  const { state, actions } = useOverlay();
  const greeting = chosenGreeting(state);
  const character = state.chat?.character;
  if (!greeting || !character || !greeting.beforeFirstReply) return null;
  const { text: preview, index, count } = greeting;
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
