/** A scripted role-play chat for summary tests (unit and end-to-end): one planted fact among chatter. */
import type { SummaryMessage } from '../messaging/protocols/offscreen-protocol.ts';

/** The fact every summary of `roleplayChat()` must keep. */
export const PLANTED_FACT = 'Aldric promised to return the silver compass by the winter solstice.';

const USER_LINES = [
  'Hi there, nice to see you again.',
  'Haha ok, that sounds fun.',
  'Where are we heading today?',
  'Yeah, sure, let us go.',
  'Hmm, what is that noise?',
  'I look around the market stalls.',
  'Okay cool, thanks.',
  'Do you know anyone here?',
  'lol that is a funny hat.',
  'Can we rest for a moment?',
];

const BOT_LINES = [
  '*smiles* It is good to see you too, traveller.',
  'The road is long, but the weather is kind today.',
  'We follow the river north toward the old mill.',
  'The wind carries the smell of bread from the village.',
  'It is only the cart wheels on the cobbles, nothing more.',
  'Merchants shout their prices over one another.',
  'You are welcome, as always.',
  'Most faces here are strangers to me.',
  'The hat belongs to a juggler who performs at noon.',
  'We sit on a bench under the chestnut tree for a while.',
];

/**
 * `count` alternating messages (user "Rowan", assistant "Aldric"), ids m1…mN, with PLANTED_FACT said
 * by the user at message `factAt` (1-based) and the rest small talk.
 */
export function roleplayChat(count = 40, factAt = 5): SummaryMessage[] {
  return Array.from({ length: count }, (_, index): SummaryMessage => {
    const n = index + 1;
    const user = index % 2 === 0;
    const text = n === factAt
      ? `*frowns* ${PLANTED_FACT} I still carry its empty case.`
      : user ? USER_LINES[(index / 2) % USER_LINES.length]! : BOT_LINES[((index - 1) / 2) % BOT_LINES.length]!;
    return { id: `m${n}`, role: user ? 'user' : 'assistant', name: user ? 'Rowan' : 'Aldric', text };
  });
}
