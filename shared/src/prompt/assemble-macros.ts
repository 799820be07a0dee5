import { substituteMacros, type MacroContext, type MacroVariables } from '../macros/index.ts';
import type { AssembleInput, PromptCard } from './assemble-types.ts';
import { messageText, type ChatMessage, type ChatRole } from './types.ts';

const ORIGINAL_MACRO = /\{\{\s*original\s*\}\}/i;

/** One macro context for the whole build; variables set in one part are seen by the next. */
export class MacroRunner {
  constructor(
    private readonly base: MacroContext,
    public variables: MacroVariables,
  ) {}

  run(text: string, seed: string, original?: string): string {
    // substituteMacros only acts on `{{…}}` and `<USER>`-style tags; skip the copy of the variables otherwise.
    if (!text.includes('{{') && !text.includes('<')) return text;
    const ctx: MacroContext = { ...this.base, variables: this.variables, pickSeed: seed };
    if (original !== undefined) ctx.original = original;
    const result = substituteMacros(text, ctx);
    this.variables = result.variables;
    return result.text;
  }
}

/** The card prompt that replaces a default one, with `{{original}}` standing for the default. */
export function overridable(macros: MacroRunner, seed: string, fallback: string, override: string): string {
  if (override.length === 0) return macros.run(fallback, seed);
  const original = ORIGINAL_MACRO.test(override) ? macros.run(fallback, `${seed}/original`) : undefined;
  return macros.run(override, seed, original);
}

function lastTextOf(messages: readonly ChatMessage[], role?: ChatRole): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message && (role === undefined || message.role === role)) return messageText(message);
  }
  return undefined;
}

/**
 * The build's macro runner: card fields, names and the `{{last…Message}}`s of the chat NextChat sent,
 * starting from the chat's saved variables (copied, so the caller's object is left as it was).
 */
export function startMacros(input: AssembleInput, card: PromptCard, userName: string, chat: readonly ChatMessage[]): MacroRunner {
  return new MacroRunner(
    {
      char: card.name,
      nickname: card.nickname,
      user: userName,
      description: card.description,
      personality: card.personality,
      scenario: card.scenario,
      persona: input.persona?.description,
      mesExamples: card.mes_example,
      model: typeof input.body.model === 'string' ? input.body.model : undefined,
      lastMessage: lastTextOf(chat),
      lastUserMessage: lastTextOf(chat, 'user'),
      lastCharMessage: lastTextOf(chat, 'assistant'),
      now: input.macros?.now,
      rng: input.macros?.rng,
      chatId: input.macros?.chatId,
      lastUserMessageAt: input.macros?.lastUserMessageAt,
    },
    { ...input.variables },
  );
}
