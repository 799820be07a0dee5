/** OpenAI chat-completion shapes, as NextChat and every OpenAI-compatible server use them. */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface TextPart { type: 'text'; text: string }
export interface ImagePart { type: 'image_url'; image_url: { url: string; detail?: string } }
export type ContentPart = TextPart | ImagePart;

export interface ChatMessage {
  role: ChatRole;
  content: string | ContentPart[];
  /** Optional speaker name; OpenAI accepts it, SillyTavern uses it for group chats. */
  name?: string;
}

/** A chat-completion request body. Unknown keys (temperature, max_tokens, …) are kept as they came. */
export interface ChatCompletionBody {
  messages: ChatMessage[];
  model?: string;
  stream?: boolean;
  [key: string]: unknown;
}

/** The plain text of a message: string content as is, array content as its text parts joined. */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .filter((part): part is TextPart => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}
