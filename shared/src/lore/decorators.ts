import type { LorePosition, LoreRole } from './types.ts';

/** The CCv3 decorators an entry carried, as settings. Absent fields mean the decorator was not there. */
export interface EntryDecorators {
  /** `@@activate`: always activates (SillyTavern checks it before constant and keys). */
  activate: boolean;
  /** `@@dont_activate`: never activates by constant or keys. */
  dontActivate: boolean;
  /** `@@depth N`: inserted as its own message N messages from the end. */
  depth?: number;
  /** `@@role system|user|assistant`: role of that message. */
  role?: LoreRole;
  /** `@@scan_depth N`: overrides the scan depth. */
  scanDepth?: number;
  /** `@@activate_only_after N`: cannot activate before the chat has N messages. */
  activateOnlyAfter?: number;
  /** `@@activate_only_every N`: only activates when the chat length is a multiple of N. */
  activateOnlyEvery?: number;
  /** `@@position before_desc|after_desc` (or one of our position names). */
  position?: LorePosition;
  /** `@@additional_keys a,b`: more primary keys. */
  additionalKeys: string[];
  /** `@@exclude_keys a,b`: if any of these match, the entry does not activate by keys. */
  excludeKeys: string[];
}

export interface DecoratorProblem {
  code: 'lore/bad-decorator' | 'lore/unknown-decorator';
  line: string;
  message: string;
}

export interface ParsedContent {
  content: string;
  decorators: EntryDecorators;
  problems: DecoratorProblem[];
}

type Apply = (args: string, into: EntryDecorators) => boolean;

const POSITION_ALIASES: Readonly<Record<string, LorePosition>> = {
  before_desc: 'before_char',
  after_desc: 'after_char',
  before_char: 'before_char',
  after_char: 'after_char',
  an_top: 'an_top',
  an_bottom: 'an_bottom',
  at_depth: 'at_depth',
  em_top: 'em_top',
  em_bottom: 'em_bottom',
};

function count(args: string): number | undefined {
  if (!/^\d+$/.test(args)) return undefined;
  return Number(args);
}

function keyList(args: string): string[] {
  return args
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

const KNOWN: Readonly<Record<string, Apply>> = {
  activate: (args, into) => {
    if (args !== '') return false;
    into.activate = true;
    return true;
  },
  dont_activate: (args, into) => {
    if (args !== '') return false;
    into.dontActivate = true;
    return true;
  },
  depth: (args, into) => {
    const depth = count(args);
    if (depth === undefined) return false;
    into.depth = depth;
    return true;
  },
  role: (args, into) => {
    const role = args.toLowerCase();
    if (role !== 'system' && role !== 'user' && role !== 'assistant') return false;
    into.role = role;
    return true;
  },
  scan_depth: (args, into) => {
    const depth = count(args);
    if (depth === undefined) return false;
    into.scanDepth = depth;
    return true;
  },
  activate_only_after: (args, into) => {
    const after = count(args);
    if (after === undefined) return false;
    into.activateOnlyAfter = after;
    return true;
  },
  activate_only_every: (args, into) => {
    const every = count(args);
    if (every === undefined || every === 0) return false;
    into.activateOnlyEvery = every;
    return true;
  },
  position: (args, into) => {
    const position = POSITION_ALIASES[args.toLowerCase()];
    if (!position) return false;
    into.position = position;
    return true;
  },
  additional_keys: (args, into) => {
    const keys = keyList(args);
    if (keys.length === 0) return false;
    into.additionalKeys.push(...keys);
    return true;
  },
  exclude_keys: (args, into) => {
    const keys = keyList(args);
    if (keys.length === 0) return false;
    into.excludeKeys.push(...keys);
    return true;
  },
};

const DECORATOR_LINE = /^@@([A-Za-z_]+)(?:[ \t]+(.*))?$/;

/**
 * Splits leading `@@decorator` lines off an entry's content (CCv3 decorators). A `@@@name` line is a
 * fallback: it applies only when the decorator before it was unknown or invalid, as in the CCv3 spec
 * and SillyTavern. Never throws: unknown or malformed decorators come back as problems.
 *
 * @example parseDecorators('@@depth 2\n@@role user\nThe sea is loud.')
 * // { content: 'The sea is loud.', decorators: { depth: 2, role: 'user', ... }, problems: [] }
 */
export function parseDecorators(raw: string): ParsedContent {
  const decorators: EntryDecorators = { activate: false, dontActivate: false, additionalKeys: [], excludeKeys: [] };
  const problems: DecoratorProblem[] = [];
  if (!raw.startsWith('@@')) return { content: raw, decorators, problems };

  const lines = raw.split('\n');
  let fallbackWanted = false;
  let first = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (!line.startsWith('@@')) {
      first = i;
      break;
    }
    let text = line;
    if (line.startsWith('@@@')) {
      if (!fallbackWanted) continue;
      text = line.slice(1);
    }
    const match = DECORATOR_LINE.exec(text.trimEnd());
    const name = match?.[1]?.toLowerCase() ?? '';
    const apply = KNOWN[name];
    if (!match || !apply) {
      problems.push({ code: 'lore/unknown-decorator', line, message: `Unsupported decorator "${line}"` });
      fallbackWanted = true;
    } else if (!apply((match[2] ?? '').trim(), decorators)) {
      problems.push({ code: 'lore/bad-decorator', line, message: `Decorator "${line}" has an invalid argument` });
      fallbackWanted = true;
    } else {
      fallbackWanted = false;
    }
  }
  return { content: lines.slice(first).join('\n'), decorators, problems };
}
