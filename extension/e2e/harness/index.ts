/** The end-to-end harness: a test LLM, the NextChat stage double and a Chromium launcher. */
export { startTestLlm, chatBodyOf, wireFormatOf, contentText, echoReply, lastUserText, splitIntoChunks } from './test-llm.ts';
export type { ChatBodyJson, ChatMessageJson, LoggedRequest, RawReply, Reply, ReplyScript, StreamReply, TestLlm } from './test-llm.ts';
export { startStage, PROXY_MARK_HEADER, STAGE_DIR } from './stage-server.ts';
export type { Stage } from './stage-server.ts';
export { launchChromium, getFreePort, BASE_ARGS, CHROMIUM_PATH } from './browser.ts';
export type { Launched, LaunchOptions } from './browser.ts';
export { NC, openChat, waitForSettledChat, startNewChat, typeAndSend, lastBotText, readIdbValue, writeIdbValue, readChatStore, readSentByPage, rowWithText, editMessage, clickMessageAction, clickClearContext } from './stage-page.ts';
export type { PersistedChatStore, PersistedMessage, PersistedSession } from './stage-page.ts';
export { HarnessError } from './http-util.ts';
export * from './sillytavern.ts';
export { ClosedRootDriver } from './closed-root.ts';
export type { ClosedRootTarget } from './closed-root.ts';
