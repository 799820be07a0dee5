import { describe, expect, it } from 'vitest';
import { configuredEndpoints, isNextChatDestination } from './endpoints.ts';

const access = (state: Record<string, unknown>) => JSON.stringify({ state, version: 2 });
const page = 'http://127.0.0.1:3000/#/chat';

describe('configuredEndpoints', () => {
  it('reads the custom base URLs NextChat would use, normalised as it does', () => {
    expect(configuredEndpoints(access({ useCustomConfig: true, openaiUrl: 'https://llm.example/', anthropicUrl: 'claude.example/proxy', googleUrl: '/api/google', azureUrl: '' })))
      .toEqual(['https://llm.example', 'https://claude.example/proxy']);
  });
  it.each([
    ['custom mode off', access({ useCustomConfig: false, openaiUrl: 'https://llm.example' })],
    ['no store', undefined],
    ['broken JSON', '{"state":'],
  ])('names none with %s', (_name, value) => {
    expect(configuredEndpoints(value)).toEqual([]);
  });
});

describe('isNextChatDestination', () => {
  const endpoints = ['https://llm.example/v1base', 'http://127.0.0.1:9000'];
  it.each([
    ['the page\'s own proxy', '/api/openai/v1/chat/completions', true],
    ['a configured endpoint', 'https://llm.example/v1base/v1/chat/completions', true],
    ['a configured local endpoint', 'http://127.0.0.1:9000/v1/messages', true],
    ['another path on a configured host', 'https://llm.example/other/v1/chat/completions', false],
    ['a look-alike prefix', 'https://llm.example/v1baseX/chat/completions', false],
    ['a foreign origin', 'https://evil.example/v1/chat/completions', false],
    ['the page\'s origin outside its proxy', '/v1/chat/completions', false],
    ['a broken URL', 'http://[bad', false],
  ])('%s -> %s', (_name, url, expected) => {
    expect(isNextChatDestination(url, page, endpoints)).toBe(expected);
  });
});
