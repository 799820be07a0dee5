import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// WXT's test plugin gives modules its fakeBrowser; these two APIs are filled in here.
type Script = { id: string; matches: string[]; js: string[]; world?: string; runAt: string };
const chromeState = { granted: [] as string[], registered: new Map<string, Script>() };
Object.assign(fakeBrowser.permissions, { getAll: async () => ({ origins: chromeState.granted }) });
Object.assign(fakeBrowser.scripting, {
  getRegisteredContentScripts: async ({ ids }: { ids: string[] }) => [...chromeState.registered.values()].filter((s) => ids.includes(s.id)),
  unregisterContentScripts: async ({ ids }: { ids: string[] }) => { for (const id of ids) chromeState.registered.delete(id); },
  registerContentScripts: async (scripts: Script[]) => {
    for (const s of scripts) {
      if (chromeState.registered.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
      chromeState.registered.set(s.id, s);
    }
  },
});

const { disableOrigin, enableOrigin, syncRegisteredOrigins } = await import('./register.ts');

beforeEach(() => {
  fakeBrowser.reset();
  chromeState.granted = ['http://localhost/*', 'http://127.0.0.1/*'];
  chromeState.registered.clear();
});

describe('syncRegisteredOrigins', () => {
  it('registers nothing while only the default origins are granted', async () => {
    expect(await syncRegisteredOrigins()).toEqual([]);
    expect(chromeState.registered.size).toBe(0);
  });

  it('registers both scripts (isolated and MAIN world, document_start) for added origins, idempotently', async () => {
    chromeState.granted.push('https://chat.example.com/*');
    await enableOrigin('https://chat.example.com/*');
    expect(await syncRegisteredOrigins()).toEqual(['https://chat.example.com/*']);
    const scripts = [...chromeState.registered.values()];
    expect(scripts.map((s) => [s.js[0], s.world ?? 'ISOLATED', s.runAt, s.matches])).toEqual([
      ['content-scripts/nextchat.js', 'ISOLATED', 'document_start', ['https://chat.example.com/*']],
      ['content-scripts/nextchat-main.js', 'MAIN', 'document_start', ['https://chat.example.com/*']],
    ]);
  });

  it('unregisters when the user removes the last added origin, or revokes it in Chrome', async () => {
    chromeState.granted.push('https://chat.example.com/*');
    await enableOrigin('https://chat.example.com/*');
    expect(await disableOrigin('https://chat.example.com/*')).toEqual([]);
    expect(chromeState.registered.size).toBe(0);
    await enableOrigin('https://chat.example.com/*');
    chromeState.granted.pop();
    expect(await syncRegisteredOrigins()).toEqual([]);
    expect(chromeState.registered.size).toBe(0);
  });

  it('never puts NextChat scripts on a site that is only granted (a SillyTavern server)', async () => {
    chromeState.granted.push('http://st.example/*');
    expect(await syncRegisteredOrigins()).toEqual([]);
    expect(chromeState.registered.size).toBe(0);
  });
});
