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

  it('indexes a long chat a slice at a time, the same index in the end, gone messages removed only once in step', () => {
    const texts = Array.from({ length: 25 }, (_, i) => `Message ${i} about ${i % 2 ? 'bees' : 'goats'}.`);
    const sliced = new MessageRecall();
    sliced.sync(chat(['A message that will be gone.']).map((m) => ({ ...m, id: 'gone' })));
    const passes: boolean[] = [];
    for (let done = false; !done;) passes.push(done = sliced.syncSome(chat(texts), 10));
    expect(passes).toEqual([false, false, true]);
    expect(sliced.size).toBe(25);
    const whole = new MessageRecall();
    whole.sync(chat(texts));
    const all = new Set([...texts.keys()].map((i) => `m${i}`).concat('gone'));
    expect(sliced.scores('bees', all)).toEqual(whole.scores('bees', all));
    expect(sliced.syncSome(chat(texts), 0)).toBe(true);
  });

  it('scorer brings the index in step before scoring', () => {
    const recall = new MessageRecall();
    const score = recall.scorer(chat(['Ilse keeps bees.']));
    expect([...score('bees', new Set(['m0'])).keys()]).toEqual(['m0']);
  });
});
