import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS, MAX_SUMMARY_CHARS } from '@troupe/shared/docs';
import {
  isOffscreenEnvelope,
  MAX_SUMMARY_JOB_MESSAGES,
  MAX_SUMMARY_TARGET_TOKENS,
  MODEL_SUMMARY_TIMEOUT_MS,
  OFFSCREEN_ANSWER_VALIDATORS,
  OFFSCREEN_PROTOCOL_VERSION,
  OFFSCREEN_VALIDATORS,
  offscreenEnvelope,
  SUMMARY_JOB_TIMEOUT_MS,
  validateOffscreenResult,
} from './offscreen-protocol.ts';

const message = { id: 'm1', role: 'user', name: 'Rowan', text: 'Hello.' };
const request = { jobId: 'j1', messages: [message], targetTokens: 200, model: 'gpt-4o-mini' };
const run = OFFSCREEN_VALIDATORS['summary.run'];

describe('summary.run request validator', () => {
  it('accepts a local job and a job with an endpoint (a missing name is empty; an empty key is no key; extra fields go)', () => {
    expect(run({ ...request, extra: 1 })).toEqual({ ...request, endpoint: null });
    expect(run({ ...request, messages: [{ id: 'm1', role: 'assistant', text: 'Hi.' }] }).messages).toEqual([{ id: 'm1', role: 'assistant', name: '', text: 'Hi.' }]);
    expect(run({ ...request, endpoint: { url: 'https://api.example.com/v1', model: 'm', apiKey: 'sk-1' } }).endpoint).toEqual({ url: 'https://api.example.com/v1', model: 'm', apiKey: 'sk-1' });
    expect(run({ ...request, endpoint: { url: 'http://127.0.0.1:8080', model: 'm', apiKey: '' } }).endpoint).toEqual({ url: 'http://127.0.0.1:8080', model: 'm' });
  });

  it.each([
    ['no job id', { ...request, jobId: '' }, 'jobId must not be empty'],
    ['messages that are not a list', { ...request, messages: 'hi' }, 'messages must be a list'],
    ['too many messages', { ...request, messages: Array.from({ length: MAX_SUMMARY_JOB_MESSAGES + 1 }, (_, i) => ({ ...message, id: `m${i}` })) }, `messages has more than ${MAX_SUMMARY_JOB_MESSAGES} items`],
    ['an unknown role', { ...request, messages: [{ ...message, role: 'tool' }] }, 'messages[0].role must be one of user, assistant, system'],
    ['a message over the stored limit', { ...request, messages: [{ ...message, text: 'x'.repeat(MAX_MESSAGE_CHARS + 1) }] }, `messages[0].text is longer than ${MAX_MESSAGE_CHARS} characters`],
    ['a target of 0', { ...request, targetTokens: 0 }, `targetTokens must be between 1 and ${MAX_SUMMARY_TARGET_TOKENS}`],
    ['a fractional target', { ...request, targetTokens: 1.5 }, 'targetTokens must be a whole number'],
    ['a file: endpoint', { ...request, endpoint: { url: 'file:///etc/passwd', model: 'm' } }, 'endpoint.url must be an http or https address'],
    ['an endpoint that is not an address', { ...request, endpoint: { url: 'not a url', model: 'm' } }, 'endpoint.url must be a web address'],
    ['credentials in the address', { ...request, endpoint: { url: 'https://user:pw@api.example.com', model: 'm' } }, 'must not carry a user name or password'],
    ['an endpoint without a model', { ...request, endpoint: { url: 'https://api.example.com', model: '' } }, 'endpoint.model must not be empty'],
    ['a key with a line break', { ...request, endpoint: { url: 'https://api.example.com', model: 'm', apiKey: 'sk\r\nX-Evil: 1' } }, 'control characters'],
  ])('refuses %s with a reason', (_name, payload, reason) => {
    expect(() => run(payload)).toThrow(reason);
  });
});

describe('answer validators', () => {
  const result = { jobId: 'j1', text: 'Rowan: Hello.', tokens: 4, source: 'local', messageIds: ['m1'] };

  it('accept a result, with or without modelError, and a ping', () => {
    expect(OFFSCREEN_ANSWER_VALIDATORS['summary.run'](result)).toEqual(result);
    expect(OFFSCREEN_ANSWER_VALIDATORS['summary.run']({ ...result, modelError: 'timeout' })).toEqual({ ...result, modelError: 'timeout' });
    expect(OFFSCREEN_ANSWER_VALIDATORS['offscreen.ping']({ version: OFFSCREEN_PROTOCOL_VERSION, busy: true })).toEqual({ version: OFFSCREEN_PROTOCOL_VERSION, busy: true });
  });

  it.each([
    ['an unknown source', { ...result, source: 'cloud' }, 'source must be one of model, local'],
    ['a text over the stored limit', { ...result, text: 'x'.repeat(MAX_SUMMARY_CHARS + 1) }, 'text is longer'],
    ['negative tokens', { ...result, tokens: -1 }, 'tokens must be between'],
    ['ids that are not text', { ...result, messageIds: [1] }, 'messageIds[0] must be text'],
  ])('refuse %s', (_name, answer, reason) => {
    expect(() => OFFSCREEN_ANSWER_VALIDATORS['summary.run'](answer)).toThrow(reason);
  });

  it('refuse a ping from another protocol version', () => {
    expect(() => OFFSCREEN_ANSWER_VALIDATORS['offscreen.ping']({ version: 1 })).toThrow('speaks version 1');
  });

  it('read the envelope of an answer: a checked value, or a typed error', () => {
    expect(validateOffscreenResult('summary.run', { ok: true, value: result })).toEqual({ ok: true, value: result });
    expect(validateOffscreenResult('summary.run', { ok: false, error: { code: 'summary/failed', message: 'boom' } })).toEqual({ ok: false, error: { code: 'summary/failed', message: 'boom' } });
    expect(() => validateOffscreenResult('summary.run', { ok: true, value: { ...result, source: 'x' } })).toThrow('source');
    expect(() => validateOffscreenResult('summary.run', null)).toThrow('answer must be an object');
    expect(() => validateOffscreenResult('summary.run', { ok: 'yes' })).toThrow('answer.ok must be true or false');
  });
});

describe('envelope', () => {
  it('is recognised by its channel, whatever the version; runtime messages of other channels are not', () => {
    expect(isOffscreenEnvelope(offscreenEnvelope('offscreen.ping', {}))).toBe(true);
    expect(isOffscreenEnvelope({ channel: 'troupe-offscreen', version: 99 })).toBe(true);
    expect(isOffscreenEnvelope({ troupe: 1, type: 'characters.list', payload: {} })).toBe(false);
    expect(isOffscreenEnvelope(null)).toBe(false);
  });

  it('gives the background longer than the model (a timed-out model still leaves time for the local summary)', () => {
    expect(SUMMARY_JOB_TIMEOUT_MS).toBeGreaterThan(MODEL_SUMMARY_TIMEOUT_MS + 2_000);
    expect(SUMMARY_JOB_TIMEOUT_MS).toBeLessThan(30_000);
  });
});

describe('hands-free messages', () => {
  it('check the start, the poll and its answer', () => {
    const endpoint = { url: 'http://127.0.0.1:9000/v1', model: 'whisper-1' };
    expect(OFFSCREEN_VALIDATORS['voice.handsFree.start']({ endpoint, autoSend: true, endOfTurnMs: 600 })).toEqual({ endpoint, autoSend: true, endOfTurnMs: 600 });
    expect(() => OFFSCREEN_VALIDATORS['voice.handsFree.start']({ endpoint, autoSend: true, endOfTurnMs: 50 })).toThrow(/endOfTurnMs must be a whole number of milliseconds from 250 to 3000/);
    expect(OFFSCREEN_VALIDATORS['voice.handsFree.poll']({ session: 's', after: 3, phase: 'listening' })).toEqual({ session: 's', after: 3, phase: 'listening' });
    expect(() => OFFSCREEN_VALIDATORS['voice.handsFree.poll']({ session: 's', after: -1, phase: 'listening' })).toThrow(/after must be a whole number/);
    expect(() => OFFSCREEN_VALIDATORS['voice.handsFree.poll']({ session: 's', after: 0, phase: 'shouting' })).toThrow(/phase/);
    const answer = { session: 's', phase: 'waiting', events: [{ n: 1, kind: 'turn', text: 'Hi.', autoSend: true }, { n: 2, kind: 'barge-in' }, { n: 3, kind: 'error', code: 'unauthorized', message: 'No.', canRetry: true }], measures: { speechEndToRequestMs: 2, endpointingMs: 600, onsetToStopMs: null } };
    expect(OFFSCREEN_ANSWER_VALIDATORS['voice.handsFree.poll'](answer)).toEqual(answer);
    expect(() => OFFSCREEN_ANSWER_VALIDATORS['voice.handsFree.poll']({ ...answer, events: [{ n: 1, kind: 'turn', text: '', autoSend: true }] })).toThrow(/text/);
    expect(() => OFFSCREEN_ANSWER_VALIDATORS['voice.handsFree.poll']({ ...answer, measures: { speechEndToRequestMs: -1, endpointingMs: null, onsetToStopMs: null } })).toThrow(/speechEndToRequestMs/);
  });
});
