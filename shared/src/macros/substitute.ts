import { rollDice } from './dice.ts';
import { MAX_FIELD_DEPTH } from './limits.ts';
import { parseMacros, type MacroNode } from './parse.ts';
import { hashString, seededRandom } from './seeded-random.ts';
import { formatDate, formatIsoDate, formatIsoTime, formatTime, formatTimeAtOffset, formatWeekday, humanizeDuration } from './time-format.ts';
import type { MacroContext, MacroResult, MacroVariables } from './types.ts';
import { addToVariable, readVariable } from './variables.ts';

/** The separator after a macro name: none, `:`, `::` or whitespace. */
type Separator = '' | ':' | '::' | ' ';

interface Evaluation {
  ctx: MacroContext;
  variables: MacroVariables;
  rng: () => number;
  now: Date;
  originalUsed: boolean;
}

/** Where a piece of text is being expanded: its source (for `{{pick}}` seeds) and its nesting depth. */
interface Place {
  source: string;
  sourceHash: number;
  seed: string;
  depth: number;
}

/** A macro implementation; `undefined` means "not a valid use", and the macro stays as written. */
type Handler = (separator: Separator, arg: string, offset: number, evaluation: Evaluation, place: Place) => string | undefined;

const TRIM = /(?:\r?\n)*\{\{trim\}\}(?:\r?\n)*/gi;
const LEGACY = /<(user|bot|char|charifnotgroup|group)>/gi;
const ESCAPED_COMMA = '\u0000';

function charName(ctx: MacroContext): string {
  return ctx.nickname || ctx.char || '';
}

/** `{{random}}` / `{{pick}}` list: `a::b` as is, else comma-separated, trimmed, `\,` for a literal comma. */
function splitList(arg: string): string[] | undefined {
  if (arg === '') return undefined;
  if (arg.includes('::')) return arg.split('::');
  return arg
    .replace(/\\,/g, ESCAPED_COMMA)
    .split(',')
    .map((item) => item.trim().replaceAll(ESCAPED_COMMA, ','));
}

const plain = (value: (evaluation: Evaluation, place: Place) => string): Handler => (separator, _arg, _offset, evaluation, place) =>
  separator === '' ? value(evaluation, place) : undefined;

/** A card field: expanded itself (SillyTavern fills `{{char}}` inside `{{description}}`), to a bounded depth. */
const field = (pick: (ctx: MacroContext) => string | undefined, name: string): Handler =>
  plain((evaluation, place) => {
    const value = pick(evaluation.ctx) ?? '';
    if (place.depth >= MAX_FIELD_DEPTH) return value;
    return expand(value, evaluation, { seed: `${place.seed}/${name}`, depth: place.depth + 1 });
  });

const variableName = (separator: Separator, arg: string): string | undefined => {
  const name = arg.trim();
  return separator === '::' && name !== '' && !name.includes('::') ? name : undefined;
};

const nameAndValue = (separator: Separator, arg: string): [string, string] | undefined => {
  if (separator !== '::') return undefined;
  const cut = arg.indexOf('::');
  if (cut < 0) return undefined;
  const name = arg.slice(0, cut).trim();
  return name === '' ? undefined : [name, arg.slice(cut + 2)];
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  char: plain(({ ctx }) => charName(ctx)),
  group: plain(({ ctx }) => charName(ctx)),
  charifnotgroup: plain(({ ctx }) => charName(ctx)),
  user: plain(({ ctx }) => ctx.user ?? ''),
  description: field((ctx) => ctx.description, 'description'),
  personality: field((ctx) => ctx.personality, 'personality'),
  scenario: field((ctx) => ctx.scenario, 'scenario'),
  persona: field((ctx) => ctx.persona, 'persona'),
  mesexamples: field((ctx) => ctx.mesExamples, 'mesExamples'),
  original: (separator, _arg, _offset, evaluation) => {
    if (separator !== '' || evaluation.ctx.original === undefined) return undefined;
    if (evaluation.originalUsed) return '';
    evaluation.originalUsed = true;
    return evaluation.ctx.original;
  },
  lastmessage: plain(({ ctx }) => ctx.lastMessage ?? ''),
  lastusermessage: plain(({ ctx }) => ctx.lastUserMessage ?? ''),
  lastcharmessage: plain(({ ctx }) => ctx.lastCharMessage ?? ''),
  model: plain(({ ctx }) => ctx.model ?? ''),
  newline: plain(() => '\n'),
  trim: plain(() => ''),
  noop: plain(() => ''),
  time: plain(({ now }) => formatTime(now)),
  date: plain(({ now }) => formatDate(now)),
  weekday: plain(({ now }) => formatWeekday(now)),
  isotime: plain(({ now }) => formatIsoTime(now)),
  isodate: plain(({ now }) => formatIsoDate(now)),
  idle_duration: plain(({ ctx, now }) => {
    const at = ctx.lastUserMessageAt;
    if (at === undefined || at === null) return 'just now';
    return humanizeDuration(now.getTime() - (typeof at === 'number' ? at : at.getTime()));
  }),
  random: (separator, arg, _offset, { rng }) => {
    if (separator !== ':' && separator !== '::') return undefined;
    const list = splitList(arg);
    return list ? (list[Math.floor(rng() * list.length)] ?? '') : undefined;
  },
  pick: (separator, arg, offset, { ctx }, place) => {
    if (separator !== ':' && separator !== '::') return undefined;
    const list = splitList(arg);
    if (!list) return undefined;
    const seed = hashString(`${ctx.chatId ?? ''}|${place.seed}|${place.sourceHash}|${offset}`);
    return list[Math.floor(seededRandom(seed)() * list.length)] ?? '';
  },
  roll: (separator, arg, _offset, { rng }) => {
    if (separator === '' || arg.trim() === '') return undefined;
    const total = rollDice(arg, rng);
    return total === null ? '' : String(total);
  },
  reverse: (separator, arg) => (separator === ':' ? Array.from(arg).reverse().join('') : undefined),
  getvar: (separator, arg, _offset, { variables }) => {
    const name = variableName(separator, arg);
    return name === undefined ? undefined : readVariable(variables, name);
  },
  setvar: (separator, arg, _offset, { variables }) => {
    const pair = nameAndValue(separator, arg);
    if (!pair) return undefined;
    variables[pair[0]] = pair[1];
    return '';
  },
  addvar: (separator, arg, _offset, { variables }) => {
    const pair = nameAndValue(separator, arg);
    if (!pair) return undefined;
    addToVariable(variables, pair[0], pair[1]);
    return '';
  },
  incvar: (separator, arg, _offset, { variables }) => {
    const name = variableName(separator, arg);
    return name === undefined ? undefined : addToVariable(variables, name, '1');
  },
  decvar: (separator, arg, _offset, { variables }) => {
    const name = variableName(separator, arg);
    return name === undefined ? undefined : addToVariable(variables, name, '-1');
  },
};

const NAME = /^[A-Za-z_]\w*/;
const UTC_TIME = /^time_utc([+-]\d{1,2})$/i;
const SEPARATOR = /^\s*(::|:)/;

/** Runs one macro body (its arguments already expanded). */
function call(body: string, offset: number, evaluation: Evaluation, place: Place): string | undefined {
  const lead = body.trimStart();
  const utc = UTC_TIME.exec(lead.trimEnd());
  if (utc) return formatTimeAtOffset(evaluation.now, Number(utc[1]));
  const name = NAME.exec(lead)?.[0];
  if (!name) return undefined;
  const handler = HANDLERS[name.toLowerCase()];
  if (!handler) return undefined;
  const rest = lead.slice(name.length);
  if (rest.trim() === '') return handler('', '', offset, evaluation, place);
  const separator = SEPARATOR.exec(rest);
  if (separator) return handler(separator[1] === '::' ? '::' : ':', rest.slice(separator[0].length), offset, evaluation, place);
  if (/^\s/.test(rest)) return handler(' ', rest.trimStart(), offset, evaluation, place);
  return undefined;
}

function expand(text: string, evaluation: Evaluation, where: { seed: string; depth: number }): string {
  let source = text.includes('{{') ? text.replace(TRIM, '') : text;
  if (source.includes('<')) {
    source = source.replace(LEGACY, (_match, tag: string) => (tag.toLowerCase() === 'user' ? (evaluation.ctx.user ?? '') : charName(evaluation.ctx)));
  }
  if (!source.includes('{{')) return source;
  const place: Place = { source, sourceHash: hashString(source), seed: where.seed, depth: where.depth };
  const render = (nodes: readonly MacroNode[]): string => {
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'text') {
        out += node.text;
        continue;
      }
      // Comments are dropped whole, nested macros included, without running them.
      if (source.slice(node.start + 2, node.end - 2).trimStart().startsWith('//')) continue;
      const body = render(node.inner);
      out += call(body, node.start, evaluation, place) ?? `{{${body}}}`;
    }
    return out;
  };
  return render(parseMacros(source));
}

/**
 * Expands SillyTavern macros in `text`: names are case-insensitive; `<USER>`, `<BOT>` and `<CHAR>` are
 * replaced too; unknown macros stay exactly as written. Macros nested in arguments expand first, left to
 * right, so `{{setvar::who::{{char}}}}` stores the name and a later `{{getvar::who}}` reads it. Card
 * fields (`{{description}}` ...) are expanded themselves; chat messages and variable values are inserted
 * literally. Returns the text and the chat's variables after it.
 *
 * @example substituteMacros('{{char}} greets {{user}}.', { char: 'Seraphina', user: 'Ann' }).text
 * // 'Seraphina greets Ann.'
 */
export function substituteMacros(text: string, ctx: MacroContext = {}): MacroResult {
  const evaluation: Evaluation = {
    ctx,
    variables: { ...ctx.variables },
    rng: ctx.rng ?? Math.random,
    now: ctx.now ?? new Date(),
    originalUsed: false,
  };
  const out = expand(text, evaluation, { seed: String(ctx.pickSeed ?? ''), depth: 0 });
  return { text: out, variables: evaluation.variables };
}
