/** The relay core: no HTTP, no WebSocket library, no database; those come in through hooks. */
export { Relay, hashToken, type JoinRequest, type RelayOptions, type RelayStats } from './relay.ts';
export type { Connection } from './connection.ts';
export type { Fanout, FanoutMessage, RelayHooks, RelayLog } from './hooks.ts';
export { consoleLog, silentLog } from './hooks.ts';
export { RelayError, type RelayErrorCode } from './errors.ts';
export type { Session } from './session.ts';
