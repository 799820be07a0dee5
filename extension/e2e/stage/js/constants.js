// Test double of NextChat v2.16: the constants and English strings the page's behaviour depends on.
// The strings the extension or tests may look for are NextChat's own; everything else is minimal.

export const STORE_KEYS = {
  chat: 'chat-next-web-store',
  config: 'app-config',
  access: 'access-control',
  mask: 'mask-store',
};

/** Persisted store versions as NextChat v2.16 writes them (`{"state":…,"version":N}`). */
export const STORE_VERSIONS = { chat: 3.3, config: 4.1, access: 2, mask: 3.1 };

export const DEFAULT_TOPIC = 'New Conversation';
export const BOT_HELLO_TEXT = 'Hello! How can I assist you today?';
export const TYPING_TEXT = 'Typing…';
export const CONTEXT_DATE_TEXT = 'Contextual Prompt';
/** ui-lib's modal buttons (Locale.UI.Confirm / Cancel). */
export const UI_CONFIRM_TEXT = 'Confirm';
export const UI_CANCEL_TEXT = 'Cancel';
/** A message's Edit button (its aria label) and the title of the prompt modal it opens. */
export const EDIT_TEXT = 'Edit';
/** NextChat opens the edit prompt with a 10-row textarea (chat.tsx: showPrompt(…, 10)). */
export const EDIT_PROMPT_ROWS = 10;
/** The divider shown after the last message before a context clear (Locale.Context.Clear / Revert). */
export const CONTEXT_CLEARED_TEXT = 'Context Cleared';
export const CONTEXT_REVERT_TEXT = 'Revert';
/** The toast after Pin (Locale.Chat.Actions.PinToastContent / PinToastAction). */
export const PIN_TOAST_TEXT = 'Pinned 1 messages to contextual prompts';
export const PIN_TOAST_ACTION_TEXT = 'View';
export const INPUT_PLACEHOLDER = 'Enter to send, Shift + Enter to wrap, / to search prompts, : to use commands';

export const TOPIC_PROMPT =
  'Please generate a four to five word title summarizing our conversation without any lead-in, punctuation, quotation marks, periods, symbols, bold text, or additional text. Remove enclosing quotation marks.';
export const SUMMARIZE_PROMPT =
  'Summarize the discussion briefly in 200 words or less to use as a prompt for future context.';
export const MEMORY_PREFIX = 'This is a summary of the chat history as a recap: ';

/** NextChat's server-side proxy base for OpenAI (`/api/openai/v1/chat/completions`). */
export const PROXY_BASE = '/api/openai';
export const CHAT_PATH = 'v1/chat/completions';

/** Title generation starts once the chat holds this many estimated tokens (NextChat's SUMMARIZE_MIN_LEN). */
export const SUMMARIZE_MIN_TOKENS = 50;
/** The model NextChat switches to for titles and summaries when the chat uses a gpt-* model. */
export const SUMMARIZE_MODEL = 'gpt-4o-mini';

export const DEFAULT_MODEL_CONFIG = {
  model: 'gpt-4o-mini',
  providerName: 'OpenAI',
  temperature: 0.5,
  top_p: 1,
  max_tokens: 4000,
  presence_penalty: 0,
  frequency_penalty: 0,
  sendMemory: true,
  historyMessageCount: 4,
  compressMessageLengthThreshold: 1000,
  compressModel: '',
  compressProviderName: '',
  enableInjectSystemPrompts: true,
  template: '{{input}}',
  size: '1024x1024',
  quality: 'standard',
  style: 'vivid',
};

export const SYSTEM_TEMPLATE = `
You are ChatGPT, a large language model trained by {{ServiceProvider}}.
Knowledge cutoff: {{cutoff}}
Current model: {{model}}
Current time: {{time}}
Latex inline: \\(x^2\\) 
Latex block: $$e=mc^2$$
`;

/** The stage's own built-in mask (a stand-in for NextChat's built-in masks): two context messages. */
export const BUILTIN_MASKS = [
  {
    id: 'stage-mask-tutor',
    avatar: '1f4da',
    name: 'Stage Tutor',
    context: [
      { id: 'stage-tutor-0', role: 'system', content: 'You are a patient tutor on the Troupe stage page. Answer in short sentences.', date: '' },
      { id: 'stage-tutor-1', role: 'assistant', content: 'Ready when you are: what shall we study?', date: '' },
    ],
    modelConfig: { model: 'gpt-4o-mini', temperature: 0.3, max_tokens: 2000, historyMessageCount: 4 },
    lang: 'en',
    builtin: true,
    createdAt: 1700000000000,
  },
];
