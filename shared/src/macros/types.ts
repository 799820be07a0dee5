/** Chat variables set by `{{setvar}}` and friends: one store per chat, persisted by the caller. */
export type MacroVariables = Record<string, string>;

/** Everything a macro can read. Missing strings expand to nothing. */
export interface MacroContext {
  /** Character name. */
  char?: string;
  /** CCv3 nickname: wins over `char` for `{{char}}` when set. */
  nickname?: string;
  /** User (persona) name. */
  user?: string;
  description?: string;
  personality?: string;
  scenario?: string;
  /** Persona description. */
  persona?: string;
  mesExamples?: string;
  /** Text that a card's own prompt replaces; `{{original}}` inserts it once. */
  original?: string;
  lastMessage?: string;
  lastUserMessage?: string;
  lastCharMessage?: string;
  model?: string;
  /** Clock for time macros (local time of the runtime). Defaults to now. */
  now?: Date;
  /** When the user last wrote (Date or epoch ms), for `{{idle_duration}}`. */
  lastUserMessageAt?: Date | number | null;
  /** Chat identity: with `pickSeed` it makes `{{pick}}` stable per chat and place. */
  chatId?: string;
  /** Where this text sits (a prompt part or message id), so equal text in two places may pick differently. */
  pickSeed?: string | number;
  /** Random source in [0, 1) for `{{random}}` and `{{roll}}`. Defaults to Math.random. */
  rng?: () => number;
  /** The chat's variables before this text; never mutated. */
  variables?: Readonly<MacroVariables>;
}

export interface MacroResult {
  text: string;
  /** The chat's variables after this text: persist them. A new object, even when nothing changed. */
  variables: MacroVariables;
}
