import type { PanelFeature } from './feature.ts';
import { statusLine } from './status-line.tsx';
import { activeCharacter } from './active-character.tsx';
import { characterList } from './character-list.tsx';
import { createCharacter } from './create-character.tsx';

/** The panel's features, in display order. Adding a feature is one file and one line here. */
export const PANEL_FEATURES: readonly PanelFeature[] = [statusLine, activeCharacter, characterList, createCharacter];
