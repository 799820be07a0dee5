/**
 * The shipping build's panel (every other e2e test loads the e2e build, whose panel root is open for
 * Playwright): a page script sees a closed root and none of what the panel shows, while a person,
 * clicking and typing for real, still gives the chat a character through it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClosedRootDriver, chatBodyOf, launchChromium, startStage, startTestLlm, typeAndSend, waitForSettledChat, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { isUserTurn, SHIPPING_EXTENSION_DIR } from './troupe-page.ts';

let llm: TestLlm;
let stage: Stage;
let browser: Launched | undefined;

beforeAll(async () => {
  llm = await startTestLlm();
  stage = await startStage({ llmUrl: llm.url });
});
afterAll(async () => {
  await stage.close();
  await llm.close();
});
afterEach(async () => {
  await browser?.close();
});

const DESCRIPTION = 'A cartographer of drowned cities.';

/** What a page script can find of the panel: its root, and any of `needles` anywhere it can read. */
function whatThePageSees(needles: string[]): { root: unknown; found: string[] } {
  const host = document.querySelector('troupe-panel');
  const texts: string[] = [];
  // Everything a script can reach: the document and every open shadow root under it.
  const visit = (root: Document | ShadowRoot): void => {
    texts.push(root instanceof Document ? root.documentElement.innerHTML : root.innerHTML);
    for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(document);
  const all = texts.join('\n');
  return { root: host ? host.shadowRoot : 'no host', found: needles.filter((n) => all.includes(n)) };
}

describe('the shipping build\'s panel', () => {
  it('is closed to page scripts, and a person still confirms the site, creates a character and gives it the chat', async () => {
    browser = await launchChromium({ extensionDir: SHIPPING_EXTENSION_DIR });
    const page = await browser.context.newPage();
    await page.goto(stage.url);
    await waitForSettledChat(page);
    const panel = await ClosedRootDriver.attach(browser.context, page, 'troupe-panel');
    const needles = ['Use Troupe here', 'Ready on this NextChat page', 'Prompt inspector', 'Deactivate Mira', DESCRIPTION];

    await panel.click({ tag: 'button', name: 'Use Troupe here' });
    const section = async (title: string) => {
      const header = { tag: 'button', name: title, prefix: true };
      if ((await panel.attribute(header, 'aria-expanded')) !== 'true') await panel.click(header);
    };
    await section('New character');
    await panel.click({ tag: 'label', name: 'Name', prefix: true });
    await page.keyboard.type('Mira');
    await panel.click({ tag: 'label', name: 'Description', prefix: true });
    await page.keyboard.type(DESCRIPTION);
    await panel.click({ tag: 'button', name: 'Create character' });
    await section('Characters');
    await panel.click({ tag: 'button', name: 'Activate Mira' });
    await panel.waitFor({ tag: 'button', name: 'Deactivate Mira' });

    // The person sees it all; the page, nothing of it.
    expect(await panel.text()).toContain('Ready on this NextChat page');
    expect(await page.evaluate(whatThePageSees, needles)).toEqual({ root: null, found: [] });

    await typeAndSend(page, 'Where are we?');
    const request = await llm.waitForRequest(isUserTurn('Where are we?'));
    expect(JSON.stringify(chatBodyOf(request)!.messages)).toContain(DESCRIPTION);
    expect(await page.evaluate(whatThePageSees, needles)).toEqual({ root: null, found: [] });
    await panel.detach();
  });
});
