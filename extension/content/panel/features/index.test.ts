import { describe, expect, it } from 'vitest';
import type { PanelFeature } from '../feature.ts';
import { PANEL_FEATURES } from './index.ts';

// Every feature file, as the bundler sees them (tests left out).
const FILES = import.meta.glob<Record<string, unknown>>(['./*.tsx', '!./*.test.tsx'], { eager: true });

describe('the panel\'s features', () => {
  it('are every feature file, each named for its id, in the panel\'s order', () => {
    const declared = Object.entries(FILES).map(([path, module]) => {
      const features = Object.values(module).filter((value): value is PanelFeature => typeof value === 'object' && value !== null && 'run' in value && 'needs' in value);
      expect(features, path).toHaveLength(1);
      return { file: path.replace(/^\.\/|\.tsx$/g, ''), feature: features[0]! };
    });
    for (const { file, feature } of declared) expect(feature.id).toBe(file);
    expect(new Set(PANEL_FEATURES)).toEqual(new Set(declared.map((d) => d.feature)));
    expect(PANEL_FEATURES.map((f) => f.id)).toEqual(['status-line', 'sync-status', 'active-character', 'greeting', 'prompt-inspector', 'memory', 'persona', 'author-note', 'chat-lore', 'voice', 'push-to-talk', 'character-list', 'create-character']);
  });
});
