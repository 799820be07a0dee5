/** A domain's part of the runtime API: message type -> request and response. */
export type ApiShape<Api> = { [T in keyof Api]: { req: unknown; res: unknown } };

/** One validator per request type: turns an untrusted payload into the typed request or throws MessageError. */
export type Validators<Api extends ApiShape<Api>> = { [T in keyof Api]: (payload: unknown) => Api[T]['req'] };

export const emptyRequest = (): Record<string, never> => ({});
