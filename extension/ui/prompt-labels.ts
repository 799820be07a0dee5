import type { InsertionStrategy } from '@troupe/shared/lore';
import type { HostSystemMode } from '@troupe/shared/prompt';

/** How the panel and the options page name NextChat's system prompt modes. */
export const HOST_MODE_LABELS: Readonly<Record<HostSystemMode, string>> = {
  drop: 'Leave it out',
  keep: 'Keep it first',
  merge: 'Put it on top of the main prompt',
};

/** SillyTavern's names for its insertion strategies, so its users recognise them. */
export const STRATEGY_LABELS: Readonly<Record<InsertionStrategy, string>> = {
  evenly: 'Sorted evenly',
  character_first: 'Character lore first',
  global_first: 'Global lore first',
};
