import type { LoreTimedState } from '@troupe/shared/lore';
import type { MacroVariables } from '@troupe/shared/macros';

/** What a chat carries from one prompt build to the next: lore timers and macro variables. Versioned. */
export interface ChatPromptState {
  version: 1;
  timedState: LoreTimedState | null;
  variables: MacroVariables;
}
