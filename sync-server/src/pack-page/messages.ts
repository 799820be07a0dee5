/**
 * Words for every problem the page can meet, for someone who has never heard of Troupe: what
 * happened, and what they can do about it. Pure (no DOM), so every code's sentence is tested.
 */
import type { PageProblem, PageProblemCode } from './problems.ts';

export interface ProblemMessage {
  title: string;
  /** One or two sentences: what it means and what to do. */
  text: string;
}

const ASK_AGAIN = 'Ask the person who shared it to send the whole link again.';
const BROKEN_PACK = 'The pack itself is damaged or was made wrongly, so nothing in it is offered. Ask the person who shared it to share it again.';
const NOT_FOR_READERS = 'This relay refused the request. Reload the page; if it happens again, the relay may be misconfigured.';

/**
 * One message per code. A Record over the whole union, so a code added to the pack library or the
 * relay's wire fails the type check here until it has words.
 */
const MESSAGES: Record<PageProblemCode, ProblemMessage> = {
  'link/no-key': {
    title: 'This link is missing its key',
    text: `The part after "#" is missing, so the pack cannot be unlocked. Some apps cut links at the "#". ${ASK_AGAIN}`,
  },
  'link/bad-key': {
    title: "This link's key is damaged",
    text: `The part after "#" is not a valid key: it was cut short or changed while it was copied. ${ASK_AGAIN}`,
  },
  'pack/bad-key': {
    title: "This link's key is damaged",
    text: `The part after "#" is not a valid key: it was cut short or changed while it was copied. ${ASK_AGAIN}`,
  },
  'link/bad-id': {
    title: 'This link is incomplete',
    text: `The pack's id in the address is cut short or mangled. ${ASK_AGAIN}`,
  },
  'link/not-a-pack-link': { title: 'This is not a pack link', text: `The address does not have the shape of a pack link. ${ASK_AGAIN}` },
  'link/bad-relay-url': { title: 'This is not a pack link', text: `The address does not have the shape of a pack link. ${ASK_AGAIN}` },
  'pack/cannot-decrypt': {
    title: "The link's key does not open this pack",
    text: `Either the key was changed while the link was copied, or the pack was altered after it was shared. ${ASK_AGAIN}`,
  },
  'pack/truncated': {
    title: 'The pack arrived incomplete',
    text: 'Only part of it was downloaded. Reload the page to try again.',
  },
  'page/download-broken': {
    title: 'The download broke off',
    text: 'The connection to the relay was lost while the pack was downloading. Reload the page to try again.',
  },
  'pack/newer-format': {
    title: 'This pack was made by a newer Troupe',
    text: 'This page cannot read it yet: the relay serving it needs an update. Troupe users with an up-to-date Troupe can open it.',
  },
  'pack/revoked': {
    title: 'This pack is no longer shared',
    text: 'The person who shared it has stopped sharing it, so it cannot be downloaded any more.',
  },
  'pack/expired': {
    title: 'This link has expired',
    text: 'The pack was shared for a limited time, and that time has passed. Ask the person who shared it for a new link.',
  },
  'pack/not-found': {
    title: 'There is no pack at this link',
    text: 'This relay has no pack with this id. The link may have been mistyped, or it belongs to another relay.',
  },
  'page/unreachable': {
    title: 'Could not reach the relay',
    text: 'The pack could not be downloaded. Check your connection and reload the page.',
  },
  'page/unexpected-answer': {
    title: 'The relay gave an unexpected answer',
    text: 'Something other than a pack came back. Reload the page; if it happens again, check that the link is complete.',
  },
  'pack/rate-limited': {
    title: 'Too many requests',
    text: 'This relay has had too many requests from your address. Wait a minute and reload the page.',
  },
  'pack/internal': { title: 'The relay had a problem', text: 'The relay could not answer just now. Reload the page in a moment.' },
  'pack/bad-card': {
    title: 'This pack holds a card that was refused',
    text: 'One of its characters is not a valid, safe character card, so nothing from the pack is offered. Nothing from it was run on this page.',
  },
  'pack/bad-asset': { title: 'This pack holds a refused file', text: `One of its images or sounds is malformed. ${BROKEN_PACK}` },
  'pack/bad-persona': { title: 'This pack holds a refused persona', text: `One of its personas is malformed. ${BROKEN_PACK}` },
  'pack/bad-settings': { title: 'This pack holds refused settings', text: `One character's settings are malformed. ${BROKEN_PACK}` },
  'pack/corrupt': { title: 'This pack is damaged', text: BROKEN_PACK },
  'pack/not-a-pack': { title: 'This is not a character pack', text: 'What the relay holds at this link is not a Troupe pack.' },
  'pack/empty': { title: 'This pack is empty', text: 'It holds no character.' },
  'pack/too-large': { title: 'This pack is too large', text: 'It is bigger than packs may be, so it is not opened.' },
  'pack/too-many': { title: 'This pack holds too much', text: 'It has more characters, files or lorebook entries than packs may have, so it is not opened.' },
  'pack/unsupported-runtime': {
    title: 'This browser cannot open packs',
    text: 'Opening a pack needs WebCrypto and DecompressionStream, which this browser does not offer here. Use a current Chrome, Edge, Firefox or Safari; the page must be opened over https (or on this computer).',
  },
  'page/unsupported-browser': {
    title: 'This browser cannot open packs',
    text: 'Opening a pack needs WebCrypto and DecompressionStream, which this browser does not offer here. Use a current Chrome, Edge, Firefox or Safari; the page must be opened over https (or on this computer).',
  },
  'page/failed': {
    title: 'Something went wrong on this page',
    text: 'Reload the page. If it happens again, the page served by this relay has a fault; the details below help its operator.',
  },
  'pack/bad-id': { title: 'This link is incomplete', text: `The pack's id in the address is not valid. ${ASK_AGAIN}` },
  'pack/bad-envelope': { title: 'The relay refused the request', text: NOT_FOR_READERS },
  'pack/bad-publisher-hash': { title: 'The relay refused the request', text: NOT_FOR_READERS },
  'pack/bad-expiry': { title: 'The relay refused the request', text: NOT_FOR_READERS },
  'pack/missing-secret': { title: 'The relay refused the request', text: NOT_FOR_READERS },
  'pack/wrong-secret': { title: 'The relay refused the request', text: NOT_FOR_READERS },
  'publisher/bad-secret': { title: 'The relay refused the request', text: NOT_FOR_READERS },
};

/**
 * The title and sentences to show for a problem. A refused card also names the character's place
 * in the pack and the card library's reason; a browser that lacks something names what.
 */
export function problemMessage(problem: PageProblem): ProblemMessage {
  const base = MESSAGES[problem.code];
  if (problem.code === 'pack/bad-card' && problem.item !== undefined) {
    const reason = problem.cardCode === undefined ? '' : ` (${problem.cardCode})`;
    return { title: base.title, text: `${base.text} Refused: ${describeItem(problem.item)}${reason}.` };
  }
  if (problem.code === 'page/unsupported-browser' && problem.missing && problem.missing.length > 0) {
    return { title: base.title, text: `${base.text} Missing: ${problem.missing.join(', ')}.` };
  }
  return base;
}

/** `characters[2]` -> `the 3rd character`; anything else as it is. */
function describeItem(item: string): string {
  const match = /^(characters|lorebooks|personas)\[(\d+)\]/.exec(item);
  if (!match) return item;
  const n = Number(match[2]) + 1;
  const noun = { characters: 'character', lorebooks: 'lorebook', personas: 'persona' }[match[1] as 'characters' | 'lorebooks' | 'personas'];
  return `the ${ordinal(n)} ${noun}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
