/** What the panel, the interceptor and the background say about one NextChat chat. */
import type { ChatSettings } from './chat-settings.ts';
import type { CharacterSummary } from './library-wire.ts';

/** What the panel and the interceptor need to know about one NextChat chat. */
export interface ChatState {
  chatKey: string;
  character: CharacterSummary | null;
  logCount: number;
}

/** A reply the interceptor tapped, with the words that asked for it. */
export interface CapturedReply {
  chatKey: string;
  characterId: string;
  userText: string;
  replyText: string;
  /** `aborted` when the user stopped the reply: the partial text is kept, marked. */
  status: 'done' | 'aborted';
}

/** One exchange of a chat's log as the panel reads it: `seq` orders it, `at` is when it was saved. */
export interface ChatLogEntry extends CapturedReply {
  seq?: number;
  at: number;
}

/** A change to a chat's settings: the fields to replace. */
export type ChatSettingsPatch = Partial<Omit<ChatSettings, 'version'>>;
