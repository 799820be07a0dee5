/** Runtime messages of the prompt engine: build a request's prompt, and show how the last one was built. */
import type { PromptReport } from '../../prompt-service/report.ts';
import { MAX_CHAT_KEY, MAX_INTERCEPT_BODY_CHARS } from '../../limits.ts';
import { object, string } from '../validate.ts';
import type { Validators } from './define.ts';

export interface PromptApi {
  /** `body` null: send NextChat's request unchanged (no character, or not a chat turn). `userText`: the turn's new user message. */
  'prompt.build': { req: { chatKey: string; body: string }; res: { body: string | null; characterId: string | null; userText: string } };
  'prompt.report': { req: { chatKey: string }; res: PromptReport | null };
}

const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });

export const PROMPT_VALIDATORS: Validators<PromptApi> = {
  'prompt.build': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), body: string(o.body, 'body', MAX_INTERCEPT_BODY_CHARS, { min: 2 }) };
  },
  'prompt.report': (p) => ({ chatKey: chatKey(object(p, 'payload').chatKey) }),
};
