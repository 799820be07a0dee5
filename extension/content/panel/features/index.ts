import type { PanelFeature } from '../feature.ts';
import { statusLine } from './status-line.tsx';
import { syncStatus } from './sync-status.tsx';
import { activeCharacter } from './active-character.tsx';
import { characterList } from './character-list.tsx';
import { createCharacter } from './create-character.tsx';
import { greeting } from './greeting.tsx';
import { promptInspector } from './prompt-inspector.tsx';
import { memory } from './memory.tsx';
import { persona } from './persona.tsx';
import { authorNote } from './author-note.tsx';
import { chatLore } from './chat-lore.tsx';
import { voice } from './voice.tsx';
import { pushToTalk } from './push-to-talk.tsx';

/** The panel's features, in display order. Adding a feature is one file and one line here. */
export const PANEL_FEATURES: readonly PanelFeature[] = [statusLine, syncStatus, activeCharacter, greeting, promptInspector, memory, persona, authorNote, chatLore, voice, pushToTalk, characterList, createCharacter];
