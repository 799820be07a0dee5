/**
 * The memory bench's chat: a long, deterministic role-play between the person ("Ann") and a character
 * ("Mira") travelling together, in which 50 facts (names, promises, places, items, injuries) are each
 * said once, at a known message, among chit-chat that also names people, places and numbers and uses
 * the words summarisers like ("promise", "remember", "tonight"), so the facts do not stand out by form.
 * For each fact there is a question the person asks at the end that needs it: it shares one to three
 * content words with the fact's sentence but never its answer.
 *
 * Pure: the same seed gives the same chat. `memory-chat.test.ts` checks the facts' places and the
 * questions' overlap; `memory.bench.ts` measures memory policies on it.
 */
import { prng } from '../../shared/bench/prng.ts';

export type FactKind = 'name' | 'promise' | 'place' | 'item' | 'injury';
export type Speaker = 'user' | 'assistant';

export interface PlantedFact {
  id: string;
  kind: FactKind;
  /** Who says it: the person (user) or the character (assistant). */
  speaker: Speaker;
  /** The sentence planted in the chat, word for word. */
  sentence: string;
  /**
   * Words that must all be in ONE sentence of the prompt for the fact to count as there: its answer
   * (said nowhere else in the chat) and, where it helps, the subject the question asks about. The
   * extractive summariser and recall copy sentences whole, so these find the fact in a summary line, a
   * recalled message or the history alike.
   */
  keys: string[];
  /** What the person asks at the end; needs the fact, never contains its answer. */
  question: string;
}

export interface PlacedFact extends PlantedFact {
  /** Index of the message that says it (0-based, oldest first). */
  at: number;
}

export interface BenchChatMessage {
  id: string;
  role: Speaker;
  text: string;
}

export interface MemoryChat {
  userName: string;
  charName: string;
  /** Oldest first; user at even indexes, the character at odd ones. */
  messages: BenchChatMessage[];
  /** In the order they are said. */
  facts: PlacedFact[];
}

export const CHAT_MESSAGES = 500;
export const USER_NAME = 'Ann';
export const CHAR_NAME = 'Mira';

/** Words per message: ~1.3 tokens a word in this prose, so about 40-90 tokens. */
const MIN_WORDS = 30;
const MAX_WORDS = 66;

const U: Speaker = 'user';
const C: Speaker = 'assistant';

/** The 50 facts, ten of each kind. Answers are invented or uncommon words the chit-chat never uses. */
export const FACTS: readonly PlantedFact[] = [
  // names
  { id: 'name-sister', kind: 'name', speaker: U, sentence: 'My little sister is called Odalys, and she still writes to me every spring.', keys: ['sister', 'Odalys'], question: "What was my little sister's name again?" },
  { id: 'name-ferryman', kind: 'name', speaker: C, sentence: 'The ferryman who pulled us out of the river was named Teodric.', keys: ['ferryman', 'Teodric'], question: 'Who was that ferryman, the one who pulled us out?' },
  { id: 'name-mare', kind: 'name', speaker: U, sentence: "I named the grey mare Bramblewick after my grandmother's dog.", keys: ['mare', 'Bramblewick'], question: 'What did I name the grey mare?' },
  { id: 'name-fencing', kind: 'name', speaker: C, sentence: 'My old fencing master was a stern woman called Serafine Vauclair.', keys: ['fencing', 'Serafine'], question: 'Who taught you fencing, back in the day?' },
  { id: 'name-innkeeper', kind: 'name', speaker: U, sentence: 'The innkeeper at the crossroads told me his name is Gundolf.', keys: ['innkeeper', 'Gundolf'], question: "Do you remember the innkeeper's name?" },
  { id: 'name-cat', kind: 'name', speaker: C, sentence: 'I had a cat once, a fat orange thing named Pumpernickel.', keys: ['cat', 'Pumpernickel'], question: 'What was your orange cat called?' },
  { id: 'name-apprentice', kind: 'name', speaker: U, sentence: "The blacksmith's apprentice, the shy boy, turned out to be Ilario.", keys: ['apprentice', 'Ilario'], question: "What's the blacksmith's apprentice called?" },
  { id: 'name-ship', kind: 'name', speaker: C, sentence: "My mother's ship was christened the Wandering Heron.", keys: ['ship', 'Heron'], question: "What was your mother's ship called?" },
  { id: 'name-healer', kind: 'name', speaker: U, sentence: 'The healer who stitched my arm at the abbey was Sister Maudlyn.', keys: ['healer', 'Maudlyn'], question: 'Who was the healer who stitched me up?' },
  { id: 'name-cousin', kind: 'name', speaker: C, sentence: 'The captain of the city guard is my cousin Radomir.', keys: ['cousin', 'Radomir'], question: 'Which of your cousins is in the city guard?' },
  // promises
  { id: 'promise-jam', kind: 'promise', speaker: C, sentence: "I promise I'll bring you a jar of cloudberry jam when we reach the coast.", keys: ['cloudberry', 'jam'], question: 'What did you promise to bring me from the coast?' },
  { id: 'promise-swim', kind: 'promise', speaker: U, sentence: "I swear I'll teach you to swim before the summer ends.", keys: ['teach', 'swim'], question: "What did I swear I'd teach you this summer?" },
  { id: 'promise-dice', kind: 'promise', speaker: C, sentence: "You have my word that I'll never gamble at the dice tables again.", keys: ['gamble', 'dice'], question: "What did you give me your word you'd never do again?" },
  { id: 'promise-shrine', kind: 'promise', speaker: U, sentence: "I promised Mother I'd light a candle at the shrine of Saint Avelin on her birthday.", keys: ['candle', 'Avelin'], question: 'Where did I promise Mother I would go on her birthday?' },
  { id: 'promise-lanterns', kind: 'promise', speaker: C, sentence: "When this is over, I'll take you to see the glass lanterns of Marisport.", keys: ['lanterns', 'Marisport'], question: 'Where are you taking me when this is all over?' },
  { id: 'promise-boots', kind: 'promise', speaker: U, sentence: "I owe you thirty silver for the boots, and I'll pay it back by midwinter.", keys: ['thirty', 'boots'], question: 'How much do I still owe you for the boots?' },
  { id: 'promise-orchard', kind: 'promise', speaker: C, sentence: "I vowed to find out who burned down my father's orchard.", keys: ['burned', 'orchard'], question: 'What did you vow to find out about your father?' },
  { id: 'promise-hat', kind: 'promise', speaker: U, sentence: 'Next time we pass Thornbury I will buy you that green velvet hat.', keys: ['velvet', 'hat'], question: "What did I say I'd buy you next time?" },
  { id: 'promise-key', kind: 'promise', speaker: C, sentence: 'I swore an oath to keep the lighthouse key safe until Edrin comes back for it.', keys: ['key', 'Edrin'], question: 'Who are you keeping that key safe for?' },
  { id: 'promise-kite', kind: 'promise', speaker: U, sentence: "I promised the twins I'd bring them a kite from the festival.", keys: ['twins', 'kite'], question: 'What did I promise the twins from the festival?' },
  // places
  { id: 'place-born', kind: 'place', speaker: C, sentence: 'I was born in a fishing village called Quillmere, north of the salt flats.', keys: ['born', 'Quillmere'], question: 'Where were you born?' },
  { id: 'place-map', kind: 'place', speaker: U, sentence: 'We buried the map case under the third oak behind the chapel at Harrowgate.', keys: ['oak', 'chapel'], question: 'Where did we bury the map case?' },
  { id: 'place-smugglers', kind: 'place', speaker: C, sentence: 'The smugglers meet in the cellar of the Drowned Lantern tavern.', keys: ['smugglers', 'Drowned'], question: 'Where do the smugglers meet?' },
  { id: 'place-farm', kind: 'place', speaker: U, sentence: "My family's farm is in the valley of Oskerdal, past the two windmills.", keys: ['farm', 'Oskerdal'], question: "Where is my family's farm?" },
  { id: 'place-purse', kind: 'place', speaker: C, sentence: 'I hid the spare coin purse inside the hollow statue in the old bathhouse.', keys: ['purse', 'bathhouse'], question: 'Where did you stash the coin purse?' },
  { id: 'place-letters', kind: 'place', speaker: U, sentence: 'The letters are waiting for us at the post house in Brackenford.', keys: ['letters', 'Brackenford'], question: 'Where are the letters waiting for us?' },
  { id: 'place-tower', kind: 'place', speaker: C, sentence: 'Meet me at the ruined watchtower on Crow Hill if we ever get separated.', keys: ['watchtower', 'Crow'], question: 'Where should we meet if we get separated?' },
  { id: 'place-bakery', kind: 'place', speaker: U, sentence: 'I grew up above a bakery on Lamplighter Street.', keys: ['bakery', 'Lamplighter'], question: 'Where did I say I grew up?' },
  { id: 'place-moonwort', kind: 'place', speaker: C, sentence: 'Moonwort only grows in the marshes beyond Vell Ferry.', keys: ['Moonwort', 'Vell'], question: 'Where does moonwort grow?' },
  { id: 'place-camp', kind: 'place', speaker: U, sentence: 'Our camp last winter was in the caves under Mount Esker.', keys: ['caves', 'Esker'], question: 'Where did we camp last winter?' },
  // items
  { id: 'item-compass', kind: 'item', speaker: C, sentence: 'My grandfather left me a brass compass that always points toward home.', keys: ['grandfather', 'compass'], question: 'What did your grandfather leave you?' },
  { id: 'item-hairpin', kind: 'item', speaker: U, sentence: "I keep my mother's ivory hairpin in the lining of my coat.", keys: ['hairpin', 'lining'], question: 'What do I keep in the lining of my coat?' },
  { id: 'item-eye', kind: 'item', speaker: C, sentence: 'The wizard paid us with a blue glass eye that glows in the dark.', keys: ['wizard', 'eye'], question: 'What did the wizard pay us with?' },
  { id: 'item-chess', kind: 'item', speaker: U, sentence: 'I won a carved walnut chess set from that merchant in Tallow Cross.', keys: ['chess', 'merchant'], question: 'What did I win off that merchant?' },
  { id: 'item-dagger', kind: 'item', speaker: C, sentence: "I carry a dagger with a garnet in the hilt; it was my brother's.", keys: ['dagger', 'garnet'], question: "What's special about the dagger you carry?" },
  { id: 'item-music', kind: 'item', speaker: U, sentence: 'The music box I found in the attic plays a song my father used to hum.', keys: ['music', 'attic'], question: 'What did I find up in the attic?' },
  { id: 'item-lute', kind: 'item', speaker: C, sentence: 'I traded my lute for a pair of sealskin gloves up north.', keys: ['lute', 'gloves'], question: 'What did you trade your lute for?' },
  { id: 'item-whistle', kind: 'item', speaker: U, sentence: 'Old Brenna gave me a tin whistle carved with a fox.', keys: ['Brenna', 'whistle'], question: 'What did Old Brenna give me?' },
  { id: 'item-strongbox', kind: 'item', speaker: C, sentence: 'There is a copper key sewn into my saddlebag that opens the strongbox in Dunmarrow.', keys: ['strongbox', 'saddlebag'], question: 'What opens the strongbox?' },
  { id: 'item-charm', kind: 'item', speaker: U, sentence: 'My lucky charm is a bent horseshoe nail I found on my first day on the road.', keys: ['charm', 'horseshoe'], question: "What's my lucky charm?" },
  // injuries
  { id: 'injury-ribs', kind: 'injury', speaker: C, sentence: 'I cracked two ribs when I fell off the mill ladder last autumn.', keys: ['ribs', 'ladder'], question: 'What did you break when you fell off that ladder?' },
  { id: 'injury-wolf', kind: 'injury', speaker: U, sentence: 'A wolf bit my left calf in the Greywood, and it still aches when it rains.', keys: ['wolf', 'calf'], question: 'Where did the wolf bite me?' },
  { id: 'injury-ear', kind: 'injury', speaker: C, sentence: 'I lost the hearing in my right ear when the powder keg blew up in Kesh.', keys: ['hearing', 'ear'], question: 'What happened to your hearing?' },
  { id: 'injury-palm', kind: 'injury', speaker: U, sentence: "I scorched my palm on the forge handle at the smithy, so I can't grip a sword well.", keys: ['palm', 'forge'], question: "Why can't I grip a sword properly?" },
  { id: 'injury-knee', kind: 'injury', speaker: C, sentence: 'My knee was dislocated when the bridge collapsed, and it clicks on stairs.', keys: ['knee', 'bridge'], question: 'What did you hurt when that bridge collapsed?' },
  { id: 'injury-scar', kind: 'injury', speaker: U, sentence: 'That scar across my eyebrow is from a bottle thrown in a tavern brawl.', keys: ['eyebrow', 'bottle'], question: 'How did I get this scar?' },
  { id: 'injury-bee', kind: 'injury', speaker: C, sentence: "I'm allergic to bee stings; one sting nearly killed me as a child.", keys: ['allergic', 'bee'], question: 'What are you allergic to?' },
  { id: 'injury-wrist', kind: 'injury', speaker: U, sentence: 'I broke my wrist falling from the hayloft when I was nine.', keys: ['wrist', 'hayloft'], question: 'What did I break when I was nine?' },
  { id: 'injury-arrow', kind: 'injury', speaker: C, sentence: "The arrow wound in my shoulder came from a poacher in the king's forest.", keys: ['arrow', 'poacher'], question: 'Who shot you with that arrow?' },
  { id: 'injury-frostbite', kind: 'injury', speaker: U, sentence: 'I nearly lost two fingers to frostbite crossing the Kaldur Pass.', keys: ['fingers', 'frostbite'], question: 'What happened to my fingers in the mountains?' },
];

// ---- chit-chat ------------------------------------------------------------------------------------

const SLOTS: Readonly<Record<string, readonly string[]>> = {
  food: ['roast chicken', 'honey cakes', 'hot stew', 'fresh bread', 'smoked fish', 'apple pie', 'cheese and onions', 'porridge with cream', 'spiced sausages', 'barley soup', 'plum tarts', 'fried mushrooms', 'mutton pie', 'pickled eggs', 'warm cider', 'oatcakes'],
  place: ['Ashby', 'Westmere', 'Redbridge', 'Lowfield', 'Stonehaven', 'the market town', 'the old mill town', 'Fairholt', 'Kingsreach', 'the border fort', 'Elmstead', 'Southwold', 'Greyhaven', 'Millbrook', 'the salt road', 'Hollowmere'],
  npc: ['Captain Hale', 'old Tobias', "the miller's wife", 'Brother Anselm', 'that merchant with the red beard', 'the stable boy', 'Widow Carrow', 'the toll keeper', 'Sergeant Pike', 'the tinker girl', 'Master Quince', 'the ferry girl', 'Lady Ashcombe', 'the one-eyed fiddler', 'Goodman Hollis', 'the priest from Elmstead'],
  venue: ['the Red Stag', 'the market square', 'the stables', 'the toll gate', 'the town well', 'the Golden Goose', 'the riverside docks', "the chandler's shop", 'the washing stones', 'the guildhall', 'the dye works', 'the horse fair'],
  supply: ['rope', 'lamp oil', 'salt', 'bandages', 'flint', 'oats for the horses', 'dried apples', 'candles', 'thread', 'soap', 'nails', 'tea'],
  animal: ['goat', 'dog', 'sheep', 'hare', 'owl', 'boar', 'donkey', 'magpie', 'fox cub', 'badger', 'stag', 'goose'],
  number: ['two', 'three', 'four', 'five', 'six', 'a dozen', 'seven', 'ten', 'eight', 'twenty'],
  time: ['nightfall', 'noon', 'the next bell', 'sunset', 'dawn', 'supper', 'the rain starts', 'the gates close', 'the moon rises', 'market day'],
  weather: ['it will rain by evening', 'the wind will turn cold tonight', 'the fog should lift by noon', "we're in for a hot, dry week", 'there might be snow on the passes', 'the river will flood again', 'the storm will miss us', 'it will clear up by morning'],
  rumor: ['the bandits on the ridge', 'the sunken bell', 'the missing tax wagon', 'the lights in the marsh', "the duke's new tax", 'the haunted mill', 'the plague ship', 'the stolen relic', 'the giant pike in the lake', 'the vanished shepherd'],
  topic: ['the war', 'your first trip away from home', 'that winter in the hills', 'the harvest fair', 'your old friends', 'the dragon story', 'the year of the floods', 'how you learned to cook', 'the wedding you ran away from', 'your days on the river barges'],
  dream: ['a talking goat', 'falling through ice', 'a city made of paper', 'being late for a wedding', 'a sea full of bells', 'a house with no doors', 'a tower of cheese', 'flying over the hills'],
  action: ['sold us stale bread', 'lost a bet to a sailor', 'was arguing with the guards', 'bought three barrels of ale', 'fell asleep on a bench', 'asked about our horses', 'was counting coins by the fire', 'sang badly all evening', 'tried to sell me a broken clock', 'chased a pig through the square', 'cheated at cards', 'gave the children sweets', 'painted the door bright yellow', 'hired four new farmhands'],
  scenery: ['The hills turn purple in the evening light.', 'The river is louder here, swollen with rain.', 'Smoke from the chimneys hangs low over the roofs.', 'The wheat fields go on for miles.', 'Every hedge along this lane is full of blackberries.', 'The old stone wall runs all the way to the woods.', 'Gulls circle above the harbour, screaming.', 'The path is nothing but mud and puddles.', 'Frost has silvered the grass along the ditch.', 'Bells are ringing somewhere across the valley.', 'The pines smell of resin after the rain.', 'A cart has lost a wheel further up the road.'],
};

const USER_LINES: readonly string[] = [
  '*I stretch and squint at the sky.* Do you think {weather}?',
  'I could really go for some {food} right now.',
  'Do you think we will reach {place} before {time}?',
  '{npc} kept staring at us back at {venue}, did you notice?',
  'My feet are killing me after {number} days on this road.',
  'Ha, you always say that.',
  "Honestly, I don't trust {npc} one bit.",
  "Let's stop at {venue} for a while, I need to sit down.",
  '*I toss another stick on the fire and watch the sparks.*',
  'Remind me to buy more {supply} in {place}.',
  'I keep thinking about what {npc} said about {rumor}.',
  'That song you were humming earlier is stuck in my head now.',
  "We should count the money tonight; I think we're down to {number} coins.",
  'Do you ever miss home?',
  'I had the strangest dream last night about {dream}.',
  'The {animal} by the road gave me a fright this morning.',
  'Maybe we should ask {npc} for directions to {place}.',
  "I promise I'm fine, just tired.",
  "*I laugh and shake my head.* You're impossible, you know that?",
  'Tell me more about {topic}, you never finish that story.',
  'Was it {number} or {number} miles to {place}? I forget.',
  "I'd love a proper bed tonight instead of the hard ground.",
  "Don't let me forget the {supply} this time.",
  'People in {place} seem friendlier than the last town.',
  'Okay, okay, I hear you.',
  'Is it just me, or is {npc} always around when something goes wrong?',
  'I think we took a wrong turn somewhere near {place}.',
  '*I pull my cloak tighter.* It is colder than I expected.',
  'We could sell the spare {supply} at {venue} tomorrow.',
  'Remember that awful {food} we had in {place}? Never again.',
  'Did you hear that {npc} {action}?',
  '{scenery}',
  '{scenery} *I stop to take it in.*',
  "I'm starving. Whoever cooks tonight, please make {food}.",
  'I saw {npc} at {venue}; apparently they {action}.',
  'Should we take the long way round through {place}, or risk the ford?',
  "You're humming again. *I grin.* Don't stop, I like it.",
  'What was that noise? Probably just a {animal}, right?',
  'I wrote down everything we spent in {place}. It was {number} coins too many.',
  "If it rains again I'm going to scream.",
  "We've walked {number} miles since {time} and I can't feel my toes.",
  'Let me carry the {supply} for a bit; your pack looks heavy.',
];

const CHAR_LINES: readonly string[] = [
  '*Mira laughs softly and nudges you with her elbow.* You worry too much.',
  '*She checks the straps on her pack.* We should move before {time}.',
  'The road to {place} is longer than it looks on the map.',
  "{npc} owes half the town money, so I wouldn't listen to a word of it.",
  "I've seen skies like this before; I'd say {weather}.",
  "If you're hungry, there's {food} left in the bag.",
  'Keep your voice down, the {animal}s around here are skittish.',
  '*She tosses you a waterskin.* Drink. You look pale.',
  'The last time I was in {place}, {venue} was half empty.',
  "I don't like the look of those clouds.",
  'Tell me more about {topic}; you keep starting and never finishing.',
  "We'll need {number} more days of {supply} before the hills.",
  "Don't wander off tonight, not with {rumor} going around.",
  'I remember when {place} was just a few huts by the water.',
  '*She hums a tune under her breath while she sharpens her knife.*',
  "That's the third time you've said that today.",
  'Hmm. {npc} is an odd one, but mostly harmless.',
  'We can rest at {venue}, but only for an hour.',
  "*Mira grins.* Fine, you win. I'll cook tonight.",
  'You should eat something; {food} will keep you going.',
  'I heard {npc} talking about {rumor} at {venue}.',
  'If we keep this pace we reach {place} in {number} days.',
  '*She glances back down the road, listening.* Thought I heard hooves.',
  "I'd rather sleep under the stars than pay {place} prices.",
  'Yes, yes, I know. I always forget the {supply}.',
  'Honestly, the worst part of travelling is the waiting.',
  "Look, a {animal}! Don't move, you'll scare it.",
  'I promise the view from the ridge is worth the climb.',
  '*Mira stretches until her back pops.* Better.',
  "I'll take first watch; you look like you need the sleep.",
  '*She snorts.* {npc} {action}, can you believe it?',
  '{scenery}',
  '*Mira points ahead.* {scenery}',
  'Back in {place}, {npc} {action}. Nobody was surprised.',
  'We could try {venue} for work, if the coin runs low.',
  "I don't trust the ford after {rumor}. We'll take the bridge road.",
  "*She counts on her fingers.* {number} days to {place}, if the weather holds.",
  "You cook, I'll fetch water. Deal?",
  'Stop fussing. {food} is fine, we had worse in {place}.',
  "*Mira pulls her hood up against the wind.* It's going to be a long night.",
  'I used to know every tavern between here and {place}.',
  'If anyone asks, we are wool traders from {place}.',
];

/** Random integer in [0, n). */
const pick = (random: () => number, n: number) => Math.floor(random() * n);

function fill(line: string, random: () => number): string {
  return line.replace(/\{(\w+)\}/g, (_, slot: string) => {
    const options = SLOTS[slot]!;
    return options[pick(random, options.length)]!;
  });
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** One message of chit-chat around `fact` (when given), `target` words long or a little more. */
function message(role: Speaker, random: () => number, fact?: string): string {
  const pool = role === 'user' ? USER_LINES : CHAR_LINES;
  const target = MIN_WORDS + pick(random, MAX_WORDS - MIN_WORDS - 12);
  const used = new Set<number>();
  const lines: string[] = [];
  let words = fact ? wordCount(fact) : 0;
  while (words < target) {
    let at = pick(random, pool.length);
    while (used.has(at)) at = (at + 1) % pool.length;
    used.add(at);
    const line = fill(pool[at]!, random);
    lines.push(line);
    words += wordCount(line);
  }
  if (fact) lines.splice(pick(random, lines.length + 1), 0, fact);
  return lines.join(' ');
}

/** Where fact `i` of `count` goes: spread evenly over a chat of `length` messages with a little jitter, on its speaker's turn. */
function factPosition(i: number, count: number, length: number, speaker: Speaker, random: () => number): number {
  const span = length - 14;
  let at = 4 + Math.floor((i * span) / count) + pick(random, 4);
  if ((at % 2 === 0) !== (speaker === 'user')) at += 1;
  return at;
}

/**
 * The bench's chat: 500 messages (or `length`: the Chromium memory bench uses 2,000), the 50 facts
 * interleaved by kind (so each kind is spread over the whole chat) at known messages, every other
 * message chit-chat. Deterministic for a seed and length; the default is the same chat as ever.
 * @example const { messages, facts } = generateMemoryChat(); facts[0].at // the message that says it
 */
export function generateMemoryChat(seed = 11, length = CHAT_MESSAGES): MemoryChat {
  const random = prng(seed);
  // Interleave kinds: name, promise, place, item, injury, name, ...
  const byKind = new Map<FactKind, PlantedFact[]>();
  for (const fact of FACTS) byKind.set(fact.kind, [...(byKind.get(fact.kind) ?? []), fact]);
  const kinds = [...byKind.keys()];
  const order: PlantedFact[] = [];
  for (let round = 0; order.length < FACTS.length; round++) {
    for (const kind of kinds) {
      const fact = byKind.get(kind)![round];
      if (fact) order.push(fact);
    }
  }
  const facts: PlacedFact[] = order.map((fact, i) => ({ ...fact, at: factPosition(i, order.length, length, fact.speaker, random) }));
  const factAt = new Map(facts.map((fact) => [fact.at, fact]));
  const messages: BenchChatMessage[] = [];
  const digits = Math.max(3, String(length - 1).length);
  for (let i = 0; i < length; i++) {
    const role: Speaker = i % 2 === 0 ? 'user' : 'assistant';
    messages.push({ id: `m${String(i).padStart(digits, '0')}`, role, text: message(role, random, factAt.get(i)?.sentence) });
  }
  return { userName: USER_NAME, charName: CHAR_NAME, messages, facts };
}

/** Whether `word` is in `text` as a whole word, case aside. */
export function hasWord(text: string, word: string): boolean {
  return new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}
