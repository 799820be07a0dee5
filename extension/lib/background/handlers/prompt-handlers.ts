import type { PromptApi } from '../../messaging/protocols/prompt-protocol.ts';
import type { PromptService } from '../../prompt-service/prompt-service.ts';
import type { Announce, Handlers } from './types.ts';

export function promptHandlers(service: PromptService, announce: Announce): Handlers<PromptApi> {
  return {
    'prompt.build': async ({ chatKey, body }) => {
      const built = await service.build(chatKey, body);
      if (built.report) announce({ type: 'prompt-built', chatKey });
      return { body: built.body, characterId: built.characterId, userText: built.userText };
    },
    'prompt.report': async ({ chatKey }) => service.lastReport(chatKey),
  };
}
