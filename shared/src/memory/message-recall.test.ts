import { describe, expect, it } from 'vitest';
import { MessageRecall } from './message-recall.ts';

const chat = (texts: string[]) => texts.map((text, i) => ({ id: `m${i}`, text }));

describe('MessageRecall', () => {
  it('scores the candidates that match the new turn, the planted fact above chit-chat', () => {
    const recall = new MessageRecall();
    recall.sync(chat(['haha ok', 'My sister Ilse keeps bees in Harrowgate.', 'Sure!', 'The weather is grey today.']));
    const scores = recall.scores('Where does my sister keep her bees?', new Set(['m0', 'm1', 'm2']));
    expect([...scores.keys()]).toEqual(['m1']);
    expect(scores.has('m3')).toBe(false);
  });

  it('follows edits, deletions and new messages without indexing again what did not change', () => {
    const recall = new MessageRecall();
    recall.sync(chat(['Ilse keeps bees.', 'Aldric has the compass.']));
    recall.sync([{ id: 'm0', text: 'Greta keeps goats.' }, { id: 'm2', text: 'The ferry leaves at dawn.' }]);
    expect(recall.size).toBe(2);
    const all = new Set(['m0', 'm1', 'm2']);
    expect(recall.scores('bees', all).size).toBe(0);
    expect([...recall.scores('goats', all).keys()]).toEqual(['m0']);
    expect(recall.scores('compass', all).size).toBe(0);
    expect([...recall.scores('ferry dawn', all).keys()]).toEqual(['m2']);
  });
});
