import { describe, expect, it } from 'vitest';
import { routeChatRequest } from './route.ts';

const page = 'http://127.0.0.1:3000/#/chat';

describe('routeChatRequest', () => {
  it.each([
    ['/api/openai/v1/chat/completions', 'openai', 'openai', true],
    ['/api/azure/deployments/gpt4o/chat/completions?api-version=', 'azure', 'openai', true],
    ['/api/deepseek/chat/completions', 'deepseek', 'openai', true],
    ['/api/moonshot/v1/chat/completions', 'moonshot', 'openai', true],
    ['/api/xai/v1/chat/completions', 'xai', 'openai', true],
    ['/api/bytedance/api/v3/chat/completions', 'bytedance', 'openai', true],
    ['/api/chatglm/api/paas/v4/chat/completions', 'chatglm', 'openai', true],
    ['/api/siliconflow/v1/chat/completions', 'siliconflow', 'openai', true],
    ['/api/302ai/v1/chat/completions', '302ai', 'openai', true],
    ['/api/iflytek/v1/chat/completions', 'iflytek', 'openai', true],
    ['/api/anthropic/v1/messages', 'anthropic', 'anthropic', true],
    ['/api/google/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse', 'google', 'gemini', true],
    ['/api/baidu/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/completions_pro', 'baidu', null, true],
    ['/api/alibaba/v1/services/aigc/text-generation/generation', 'alibaba', null, true],
    ['/api/tencent', 'tencent', null, true],
    ['https://llm.example/v1/chat/completions', 'openai-compatible', 'openai', false],
    ['https://api.anthropic.com/v1/messages', 'anthropic', 'anthropic', false],
    ['https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:streamGenerateContent', 'google', 'gemini', false],
  ])('%s -> %s', (url, provider, format, proxied) => {
    expect(routeChatRequest(url, 'POST', page)).toEqual({ provider, format, proxied });
  });

  it.each([
    ['a GET', '/api/openai/v1/chat/completions', 'GET'],
    ['another API path', '/api/openai/v1/models', 'POST'],
    ['an upload', '/api/cache/upload', 'POST'],
    ['a mismatched proxy prefix', '/api/anthropic/v1/chat/completions', 'POST'],
    ['a broken URL', 'http://[bad', 'POST'],
  ])('ignores %s', (_name, url, method) => {
    expect(routeChatRequest(url, method, page)).toBeNull();
  });
});
