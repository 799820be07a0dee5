/** What went wrong talking to SillyTavern, as a code the UI can branch on. */
export type SillyTavernErrorCode =
  /** The configured address is not an http(s) URL. */
  | 'st/bad-url'
  /** A caller's argument (file name, PNG bytes) was refused before anything was sent. */
  | 'st/bad-input'
  /** Nothing answered: wrong port, SillyTavern not running, or the network refused. */
  | 'st/unreachable'
  /** It answered too slowly (ST_REQUEST_TIMEOUT_MS). */
  | 'st/timeout'
  /** The caller aborted. */
  | 'st/aborted'
  /** Something answered, but not SillyTavern (no `/csrf-token` of its shape). */
  | 'st/not-sillytavern'
  /** 403: its IP whitelist or host whitelist refused us. */
  | 'st/forbidden'
  /** 401 (basic auth) or a login page (user accounts): Troupe cannot log in for the user. */
  | 'st/unauthorized'
  /** Its CSRF check refused a fresh token twice: the session cookie does not reach it. */
  | 'st/csrf'
  /** The character or world asked for does not exist. */
  | 'st/not-found'
  /** Any other HTTP failure. */
  | 'st/http'
  /** The answer's shape is not what SillyTavern 1.x sends. */
  | 'st/bad-response'
  /** The answer is bigger than Troupe accepts (limits.ts). */
  | 'st/too-large'
  /** SillyTavern could not import the file we sent. */
  | 'st/import-failed';

/**
 * An error of the SillyTavern client with a code and a message a user can act on, e.g.
 * `SillyTavern at http://127.0.0.1:8000 refused the request (403): is its whitelist on?`.
 */
export class SillyTavernError extends Error {
  constructor(
    readonly code: SillyTavernErrorCode,
    message: string,
    /** The HTTP status when there was one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SillyTavernError';
  }
}

/** A response-shape problem found by a validator; the client turns it into `st/bad-response` with context. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}
