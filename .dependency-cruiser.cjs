/**
 * The house rules (DESIGN.md, README "Architecture"), checked by `pnpm run depcheck` in the test
 * command: a file's folder says where it runs and what it may import; arrows point down only.
 *
 *   extension/entrypoints                       wiring only
 *   extension/{background,page,content,pages,offscreen}   one folder per place code runs
 *   extension/ui                                Preact components for the panel and pages
 *   extension/client                            how the panel and pages reach the background
 *   extension/messaging                         the contract between contexts
 *   shared/                                     pure TypeScript
 *   sync-server/src/pack-page                   the link's page, bundled and served by the relay: browser code
 */
const CONTEXTS = ['background', 'page', 'content', 'pages', 'offscreen'];
const ext = (folder) => `^extension/${folder}/`;
const anyOf = (folders) => `^extension/(${folders.join('|')})/`;
const TESTS = '\\.(test|e2e|bench)\\.tsx?$|/test-support\\.ts$|/test-db\\.ts$|/fixture-page\\.ts$|^extension/(e2e|bench)/|^extension/test-setup\\.ts$|/test-setup\\.ts$';

/** A context may not import another context: they talk through messaging/. Tests may reach across to prove two sides agree. */
const contextRules = CONTEXTS.map((context) => ({
  name: `${context}-is-its-own-context`,
  comment: `${context}/ runs in its own context; it reaches the others only through messaging/ (typed messages, storage items).`,
  severity: 'error',
  from: { path: ext(context), pathNot: TESTS },
  to: { path: anyOf(CONTEXTS.filter((other) => other !== context)) },
}));

module.exports = {
  forbidden: [
    { name: 'no-cycles', comment: 'Arrows point one way: no import cycle, at any distance.', severity: 'error', from: {}, to: { circular: true } },
    ...contextRules,
    {
      name: 'entrypoints-are-the-top',
      comment: 'Entrypoints only wire; nothing imports them.',
      severity: 'error',
      from: { pathNot: '^extension/entrypoints/' },
      to: { path: '^extension/entrypoints/' },
    },
    {
      name: 'background-has-no-ui',
      comment: 'The service worker has no DOM: it never imports components or the page-side client.',
      severity: 'error',
      from: { path: ext('background'), pathNot: TESTS },
      to: { path: anyOf(['ui', 'client']) },
    },
    {
      name: 'main-world-is-tiny',
      comment: "page/ runs in NextChat's MAIN world and trusts nothing: it imports only the page channel's contract and shared/.",
      severity: 'error',
      from: { path: ext('page'), pathNot: TESTS },
      to: { path: '^extension/', pathNot: [ext('page'), '^extension/messaging/(page-protocol|limits/general)\\.ts$'] },
    },
    {
      name: 'ui-has-no-context',
      comment: 'ui/ components serve the panel and the pages alike: they import client/, messaging/ and shared/ only.',
      severity: 'error',
      from: { path: ext('ui'), pathNot: TESTS },
      to: { path: anyOf([...CONTEXTS, 'entrypoints']) },
    },
    {
      name: 'client-is-below-ui',
      comment: 'client/ talks to the background for the panel and pages; it knows no component and no context.',
      severity: 'error',
      from: { path: ext('client'), pathNot: TESTS },
      to: { path: anyOf([...CONTEXTS, 'entrypoints', 'ui']) },
    },
    {
      name: 'messaging-is-the-contract',
      comment: 'messaging/ is the contract between contexts: it imports nothing of ours but itself and shared/.',
      severity: 'error',
      from: { path: ext('messaging'), pathNot: TESTS },
      to: { path: '^extension/', pathNot: ext('messaging') },
    },
    {
      name: 'nextchat-knows-only-nextchat',
      comment: "content/nextchat/ is all Troupe knows of NextChat's page; the overlay and panel use it, never the reverse.",
      severity: 'error',
      from: { path: '^extension/content/nextchat/', pathNot: TESTS },
      to: { path: '^extension/content/(overlay|panel)/' },
    },
    {
      name: 'overlay-is-below-panel',
      comment: 'The overlay pairs, detects and starts the bridge; the panel mounts on it, never the reverse.',
      severity: 'error',
      from: { path: '^extension/content/overlay/', pathNot: TESTS },
      to: { path: '^extension/content/panel/' },
    },
    {
      name: 'shared-is-pure',
      comment: 'shared/ is pure TypeScript used by the extension and the relay: no DOM, no chrome.*, no node:, nothing of theirs.',
      severity: 'error',
      from: { path: '^shared/src/', pathNot: TESTS },
      to: { path: ['^extension/', '^sync-server/', '^node:', '^#imports$', '^wxt'] },
    },
    {
      name: 'shared-is-pure-builtins',
      comment: 'shared/ imports no Node built-in module.',
      severity: 'error',
      from: { path: '^shared/src/', pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'relay-core-knows-no-transport',
      comment: 'The relay core (sync-server/src/rooms) knows nothing of Hono or the storage adapters.',
      severity: 'error',
      from: { path: '^sync-server/src/rooms/', pathNot: TESTS },
      to: { path: ['^sync-server/src/(app|storage)', 'hono'] },
    },
    {
      name: 'pack-page-is-a-browser-page',
      comment: "sync-server/src/pack-page/ is the link's page: it runs in a stranger's browser, so it imports only itself and shared/ (no relay code, no node:).",
      severity: 'error',
      from: { path: '^sync-server/src/pack-page/', pathNot: TESTS },
      to: { path: ['^sync-server/', '^node:'], pathNot: '^sync-server/src/pack-page/' },
    },
    {
      name: 'pack-page-is-a-browser-page-builtins',
      comment: 'The pack page imports no Node built-in module.',
      severity: 'error',
      from: { path: '^sync-server/src/pack-page/', pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'relay-never-runs-the-page',
      comment: 'The relay serves the pack page as a bundle (routes/pack-page-bundle.ts builds it); it never imports its browser code.',
      severity: 'error',
      from: { path: '^sync-server/src/', pathNot: ['^sync-server/src/pack-page/', TESTS] },
      to: { path: '^sync-server/src/pack-page/' },
    },
    {
      name: 'server-and-extension-apart',
      comment: 'The relay and the extension share code only through shared/.',
      severity: 'error',
      from: { path: '^(sync-server|extension)/', pathNot: TESTS },
      to: { path: '^(sync-server|extension)/', pathNot: '^$1/' },
    },
    {
      name: 'no-tests-in-production',
      comment: 'Shipping code never imports tests, test support, the e2e harness or benches.',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { path: TESTS },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.output|\\.wxt)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
