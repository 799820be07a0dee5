import { describe, expect, it } from 'vitest';
import { seededRandom } from '../macros/seeded-random.ts';
import { isVoiceError } from './errors.ts';
import { MAX_SEGMENT_CHARS, MIN_SEGMENT_CHARS } from './limits.ts';
import { createSentenceStream, splitSpeech, type SentenceStreamOptions, type SpeechSegment } from './sentence-stream.ts';

const texts = (segments: SpeechSegment[]): string[] => segments.map((s) => s.text);
/** Whole-text split with holding off, so each sentence shows as its own segment. */
const sentences = (text: string, options: SentenceStreamOptions = {}): string[] => texts(splitSpeech(text, { minSegmentChars: 0, ...options }));
const spoken = (text: string, options: SentenceStreamOptions = {}): string[] =>
  splitSpeech(text, { minSegmentChars: 0, ...options }).map((s) => `${s.speaker === 'narrator' ? 'N' : 'C'}: ${s.text}`);

describe('sentence ends', () => {
  it('splits at . ! ? and keeps the marks', () => {
    expect(sentences('Hello there. How are you? I am fine! Really?! Yes...')).toEqual(['Hello there.', 'How are you?', 'I am fine!', 'Really?!', 'Yes...']);
  });

  it('does not split after titles and Latin abbreviations', () => {
    expect(sentences('Mr. Smith and Mrs. Brown met Dr. Jones and Prof. Lee. They talked.')).toEqual([
      'Mr. Smith and Mrs. Brown met Dr. Jones and Prof. Lee.',
      'They talked.',
    ]);
    expect(sentences('Bring fruit, e.g. Apples, i.e. Red ones. Then leave.')).toEqual(['Bring fruit, e.g. Apples, i.e. Red ones.', 'Then leave.']);
    expect(sentences('See ch. 3 and No. 5 today. Done.')).toEqual(['See ch. 3 and No. 5 today.', 'Done.']);
  });

  it('ends a sentence after "etc." before a capital, not before a lower-case word', () => {
    expect(sentences('We packed food, rope, etc. Then we left.')).toEqual(['We packed food, rope, etc.', 'Then we left.']);
    expect(sentences('We packed food, rope, etc. and then left.')).toEqual(['We packed food, rope, etc. and then left.']);
  });

  it('does not split decimals, initials, dotted acronyms, times or web addresses', () => {
    expect(sentences('Pi is 3.14 or so. J. R. R. Tolkien lived in the U.K. Army days. At 5 p.m. Sharp.')).toEqual([
      'Pi is 3.14 or so.',
      'J. R. R. Tolkien lived in the U.K. Army days.',
      'At 5 p.m. Sharp.',
    ]);
    expect(sentences('Visit https://example.com/a.html?x=1. Then call.')).toEqual(['Visit https://example.com/a.html?x=1.', 'Then call.']);
  });

  it('keeps an ellipsis followed by lower case inside its sentence, and ends at one followed by a capital', () => {
    expect(sentences('Wait... what is that? Hmm… no. Well… Fine.')).toEqual(['Wait... what is that?', 'Hmm… no.', 'Well…', 'Fine.']);
  });

  it('keeps closing quotes with their sentence and runs on into a lower-case tag', () => {
    expect(sentences('"Go!" she said. "Now." He left.')).toEqual(['"Go!" she said.', '"Now."', 'He left.']);
    expect(sentences('(It rained.) Then it stopped.')).toEqual(['(It rained.)', 'Then it stopped.']);
  });

  it('splits at CJK full stops, with or without spaces', () => {
    expect(sentences('你好。我是猫！你呢？')).toEqual(['你好。', '我是猫！', '你呢？']);
    expect(sentences('本当?はい!')).toEqual(['本当?', 'はい!']);
  });

  it('ends a sentence at every line break and at the end of the reply', () => {
    expect(sentences('First line\nsecond line\n\nThird')).toEqual(['First line', 'second line', 'Third']);
  });

  it('emits a sentence as soon as the next one starts, and the rest on end()', () => {
    const stream = createSentenceStream({ minSegmentChars: 0 });
    expect(stream.push('Hello there.')).toEqual([]);
    expect(stream.push(' ')).toEqual([]);
    expect(texts(stream.push('How'))).toEqual(['Hello there.']);
    expect(stream.push(' are you')).toEqual([]);
    expect(texts(stream.push('?\n'))).toEqual(['How are you?']);
    expect(stream.push('Fine')).toEqual([]);
    expect(texts(stream.end())).toEqual(['Fine']);
  });

  it('gives nothing for empty text or text with no words', () => {
    expect(splitSpeech('')).toEqual([]);
    expect(splitSpeech('...\n***\n— !\n😀😀')).toEqual([]);
  });
});

describe('short fragments', () => {
  it(`holds a sentence under ${MIN_SEGMENT_CHARS} characters for the next one`, () => {
    expect(texts(splitSpeech('Oh. Yes! Come here, quickly. Now.'))).toEqual(['Oh. Yes! Come here, quickly.', 'Now.']);
    expect(texts(splitSpeech('Oh.\nCome here, quickly.'))).toEqual(['Oh. Come here, quickly.']);
  });

  it('does not hold across a paragraph, a change of speaker or the end', () => {
    expect(texts(splitSpeech('Oh.\n\nThe door opened slowly.'))).toEqual(['Oh.', 'The door opened slowly.']);
    expect(spoken('"Oh." The door opened slowly.', { narrator: true, minSegmentChars: MIN_SEGMENT_CHARS })).toEqual(['C: Oh.', 'N: The door opened slowly.']);
    expect(texts(splitSpeech('A long enough sentence here. Hi.'))).toEqual(['A long enough sentence here.', 'Hi.']);
  });

  it('does not hold a line that does not end like a sentence (headings, list items)', () => {
    expect(texts(splitSpeech('# Plan\n- milk\n- eggs'))).toEqual(['Plan', 'milk', 'eggs']);
  });

  it('holds several fragments until they are long enough together', () => {
    expect(texts(splitSpeech('Oh. Ah. Hm. Yes. Fine.'))).toEqual(['Oh. Ah. Hm. Yes.', 'Fine.']);
  });
});

describe('long sentences', () => {
  const clause = 'the wind pulled at the sails, ';

  it(`cuts at a clause mark so no segment passes ${MAX_SEGMENT_CHARS} characters`, () => {
    const text = `${clause.repeat(20)}and then it stopped.`;
    const out = texts(splitSpeech(text));
    expect(out.length).toBeGreaterThan(1);
    for (const segment of out) expect(segment.length).toBeLessThanOrEqual(MAX_SEGMENT_CHARS);
    for (const segment of out.slice(0, -1)) expect(segment.endsWith(',')).toBe(true);
    expect(out.join(' ')).toBe(text.trim());
  });

  it('cuts at a space when no clause mark is far enough in', () => {
    const text = 'word '.repeat(100).trim();
    const out = texts(splitSpeech(text, { maxSegmentChars: 50 }));
    expect(out.every((s) => s.length <= 50 && /^(word ?)+$/.test(s))).toBe(true);
    expect(out.join(' ')).toBe(text);
  });

  it('cuts text with no spaces at the limit, and CJK text after its commas', () => {
    const url = `https://x.com/${'a'.repeat(300)}`;
    const out = texts(splitSpeech(url, { maxSegmentChars: 100 }));
    expect(out.map((s) => s.length)).toEqual([100, 100, 100, 14]);
    const cjk = '我们走了很远的路，'.repeat(10);
    const pieces = texts(splitSpeech(cjk, { maxSegmentChars: 40 }));
    expect(pieces.every((s) => s.endsWith('，') && s.length <= 40)).toBe(true);
    expect(pieces.join('')).toBe(cjk);
  });

  it('never cuts inside a surrogate pair', () => {
    // U+20000, a CJK ideograph outside the BMP: two UTF-16 units, one letter.
    const text = `${'a'.repeat(9)}${'𠀀'.repeat(10)}`;
    const out = texts(splitSpeech(text, { maxSegmentChars: 10, minSegmentChars: 0 }));
    expect(out.length).toBeGreaterThan(1);
    expect(out.join('')).toBe(text);
    for (const s of out) expect(s).not.toMatch(/[\ud800-\udbff]$|^[\udc00-\udfff]/);
  });
});

describe('quotes', () => {
  const line = '"Hello," she said, "how are you?" He nodded.';

  it('speaks everything as the character by default, quote marks included', () => {
    expect(spoken(line)).toEqual(['C: "Hello," she said, "how are you?"', 'C: He nodded.']);
  });

  it('dialogueOnly: only quoted text, as the character, without the marks', () => {
    expect(spoken(line, { dialogueOnly: true })).toEqual(['C: Hello,', 'C: how are you?']);
  });

  it('narrator: quotes as the character, the rest as the narrator, in order', () => {
    const expected = ['C: Hello,', 'N: she said,', 'C: how are you?', 'N: He nodded.'];
    expect(spoken(line, { narrator: true })).toEqual(expected);
    expect(spoken(line, { narrator: true, dialogueOnly: true })).toEqual(expected);
  });

  it('pairs curly quotes, guillemets, German and CJK quotes', () => {
    const options = { dialogueOnly: true };
    expect(spoken('She said “It’s fine.” Then left.', options)).toEqual(['C: It’s fine.']);
    expect(spoken('Il dit «Bonjour.» Puis partit.', options)).toEqual(['C: Bonjour.']);
    expect(spoken('Er sagte „Hallo.“ Dann ging er.', options)).toEqual(['C: Hallo.']);
    expect(spoken('Han sa »Hej.« Sen gick han.', options)).toEqual(['C: Hej.']);
    expect(spoken('彼は「行こう！」と言った。『はい。』', options)).toEqual(['C: 行こう！', 'C: はい。']);
  });

  it('closes a quote left open at the end of its paragraph', () => {
    expect(spoken('"Wait for me.\n\nShe ran.', { narrator: true })).toEqual(['C: Wait for me.', 'N: She ran.']);
  });

  it('does not treat apostrophes as quotes', () => {
    expect(spoken("It's Sam's 'book'. \"Mine.\"", { dialogueOnly: true })).toEqual(['C: Mine.']);
  });
});

describe('code', () => {
  const reply = 'Run this:\n```bash\necho "hi" && ls\n```\nThen type `exit` to leave.';

  it('never speaks fenced or inline code when skipCode (the default)', () => {
    expect(sentences(reply)).toEqual(['Run this:', 'Then type to leave.']);
  });

  it('speaks code text without fences, info strings or backticks when not skipped', () => {
    expect(sentences(reply, { skipCode: false })).toEqual(['Run this:', 'echo "hi" && ls', 'Then type exit to leave.']);
  });

  it('skips an unclosed fence to the end, and a fence opened and closed on one line', () => {
    expect(sentences('Look.\n```\nlet a = 1;\n\nlet b = 2;')).toEqual(['Look.']);
    expect(sentences('Use ```ls -la``` now.\nOk.')).toEqual(['Use', 'now.', 'Ok.']);
  });

  it('ends inline code left open at the end of its line', () => {
    expect(sentences('Type `rm -rf\nNext line.')).toEqual(['Type', 'Next line.']);
  });

  it('does not read quotes or actions inside code', () => {
    expect(spoken('```\n"not dialogue" *not action*\n```\n"Real."', { dialogueOnly: true })).toEqual(['C: Real.']);
  });
});

describe('actions', () => {
  it('never speaks *actions* or _actions_ when skipActions', () => {
    expect(sentences('*She smiles.* Hello there. _He waves._ Bye now.', { skipActions: true })).toEqual(['Hello there.', 'Bye now.']);
  });

  it('speaks action text without marks when not skipped', () => {
    expect(sentences('*She smiles.* Hello there.')).toEqual(['She smiles.', 'Hello there.']);
  });

  it('keeps bold text, snake_case and lone marks out of the action rules', () => {
    expect(sentences('This is **very** important. Call get_user_name now. Two * three.', { skipActions: true })).toEqual([
      'This is very important.',
      'Call get_user_name now.',
      'Two three.',
    ]);
  });

  it('skips an action inside dialogue, and dialogue inside a skipped action', () => {
    expect(spoken('"Hello *waves* there, friend."', { dialogueOnly: true, skipActions: true })).toEqual(['C: Hello there, friend.']);
    expect(spoken('*She says "psst" quietly.* "Over here."', { narrator: true, skipActions: true })).toEqual(['C: Over here.']);
  });

  it('reads a spoken action outside quotes as the narrator', () => {
    expect(spoken('*She sits.* "Hi."', { narrator: true })).toEqual(['N: She sits.', 'C: Hi.']);
  });

  it('closes an action left open at the end of its paragraph', () => {
    expect(sentences('*She sits down\n\nHello there.', { skipActions: true })).toEqual(['Hello there.']);
  });

  it('does not split a sentence around a skipped action', () => {
    expect(sentences('I met Dr. *coughs* Smith today.', { skipActions: true })).toEqual(['I met Dr. Smith today.']);
  });
});

describe('markdown', () => {
  it('strips headings, bullets, numbers, block quotes, rules, emphasis and strike marks', () => {
    const md = '## The Plan\n* first, **bold** step\n- second ~~old~~ step\n+ third\n1. Number one.\n12) Twelve.\n> Quoted line.\n> > Nested.\n---\n* * *\nEnd.';
    expect(sentences(md)).toEqual(['The Plan', 'first, bold step', 'second old step', 'third', 'Number one.', 'Twelve.', 'Quoted line.', 'Nested.', 'End.']);
  });

  it('reads link text without its address, and drops images and HTML tags', () => {
    expect(sentences('See [the docs](https://x.com/a_(b)?q=1.2) now. ![a cat](cat.png) Then<br>go. I <3 you.')).toEqual([
      'See the docs now.',
      'Then go.',
      'I <3 you.',
    ]);
  });

  it('drops brackets but keeps their text', () => {
    expect(sentences('[OOC: brb] Back soon.')).toEqual(['OOC: brb Back soon.']);
  });

  it('keeps # and numbers that are not marks', () => {
    expect(sentences('#1 fan.\n2020. What a year.\n3 cats.')).toEqual(['#1 fan.', '2020.', 'What a year.', '3 cats.']);
  });
});

describe('chunking', () => {
  /** Feeds `text` cut at `cuts` (sorted offsets) and returns every segment. */
  function streamed(text: string, cuts: number[], options: SentenceStreamOptions = {}): SpeechSegment[] {
    const stream = createSentenceStream(options);
    const out: SpeechSegment[] = [];
    let from = 0;
    for (const cut of [...cuts, text.length]) {
      out.push(...stream.push(text.slice(from, cut)));
      from = cut;
    }
    return [...out, ...stream.end()];
  }

  it('gives the same segments when cut mid-abbreviation, mid-fence, mid-action and mid-quote', () => {
    const text = 'I saw Dr. Smith. ```js\nx()\n``` Then *she waves.* "Hello there," she said. **Bold**! [link](http://a.b/c)';
    const options = { narrator: true, skipActions: true };
    const whole = splitSpeech(text, options);
    for (const marker of ['Dr', 'Dr.', '``', '```j', '*sh', 'waves.', '"Hel', 'there,"', '**Bo', '[li', 'http://a.']) {
      const at = text.indexOf(marker) + marker.length;
      expect(streamed(text, [at], options), marker).toEqual(whole);
    }
  });

  const SAMPLE = [
    '# Chapter 1\n\n*The tavern door creaks open.* "Well, well... look who it is," Mira says, setting down a mug of ale. ',
    'She grins. "Mr. Thorne owes me 3.50 gold, e.g. for the rooms, the stew, etc. You wouldn\'t happen to know where he is?"\n\n',
    '_She leans closer._ «Tell me.» „Bitte.“ 「早く！」\n\n',
    'Here is the ledger:\n```text\nThorne ... 3.50\nVance ... 1.25\n```\nSee `ledger.txt` or [the map](https://example.com/map.png?x=1.5) for U.S. routes.\n',
    '- **First** item\n- Second item\n1. Numbered. \n> Quoted.\n---\n',
    `Oh. Yes! ${'The road winds on and on, past the river, past the mill; '.repeat(6)}until it ends. Hmm… fine. 你好。我是猫！本当?はい!`,
  ].join('');

  const OPTION_SETS: SentenceStreamOptions[] = [
    {},
    { dialogueOnly: true },
    { narrator: true },
    { narrator: true, skipActions: true, skipCode: false },
    { dialogueOnly: true, skipActions: true },
    { skipCode: false, minSegmentChars: 0, maxSegmentChars: 40 },
  ];


  it('gives identical segments for random chunkings of the same text (property)', () => {
    for (const [index, options] of OPTION_SETS.entries()) {
      const whole = splitSpeech(SAMPLE, options);
      expect(whole.length).toBeGreaterThan(0);
      // The same cuts every run.
      const next = seededRandom(1000 + index);
      for (let round = 0; round < 60; round++) {
        const cuts: number[] = [];
        // Mix tiny chunks (1-3 characters, like tokens) with longer ones.
        for (let at = 0; at < SAMPLE.length; at += 1 + Math.floor(next() * (next() < 0.7 ? 3 : 40))) cuts.push(at);
        expect(streamed(SAMPLE, cuts.slice(1), options), `options ${index}, round ${round}`).toEqual(whole);
      }
    }
  });

  it('gives identical segments when fed one character at a time', () => {
    for (const options of OPTION_SETS) {
      const cuts = Array.from({ length: SAMPLE.length - 1 }, (_, i) => i + 1);
      expect(streamed(SAMPLE, cuts, options)).toEqual(splitSpeech(SAMPLE, options));
    }
  });

  it('reads the sample as expected with the narrator and actions skipped', () => {
    const out = spoken(SAMPLE, { narrator: true, skipActions: true, minSegmentChars: MIN_SEGMENT_CHARS });
    expect(out.slice(0, 6)).toEqual([
      'N: Chapter 1',
      'C: Well, well... look who it is,',
      'N: Mira says, setting down a mug of ale.',
      // Short, but held only for the same speaker: the quote that follows is the character's.
      'N: She grins.',
      'C: Mr. Thorne owes me 3.50 gold, e.g. for the rooms, the stew, etc.',
      "C: You wouldn't happen to know where he is?",
    ]);
    expect(out.join('\n')).not.toMatch(/Thorne \.\.\. 3\.50|ledger\.txt|example\.com|[*_#`[\]]/);
  });
});

describe('misuse', () => {
  it('refuses text after end()', () => {
    const stream = createSentenceStream();
    stream.end();
    expect(() => stream.push('more')).toThrow(expect.objectContaining({ code: 'voice/bad-stream-use' }));
  });

  it('refuses impossible limits', () => {
    for (const bad of [{ minSegmentChars: 10, maxSegmentChars: 10 }, { maxSegmentChars: 1.5 }, { minSegmentChars: -1 }]) {
      let error: unknown;
      try {
        createSentenceStream(bad);
      } catch (e) {
        error = e;
      }
      expect(isVoiceError(error, 'voice/bad-stream-use'), JSON.stringify(bad)).toBe(true);
    }
  });
});
