import { storage } from '#imports';

/** The SillyTavern address the user last connected to, so the options page offers it again. */
export const stAddressSetting = storage.defineItem<string>('local:sillytavern.address', { fallback: '', version: 1 });
