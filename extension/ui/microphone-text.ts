/**
 * The microphone's permission for Troupe's extension origin, in words. Chrome remembers a microphone
 * grant per origin; an offscreen document cannot show the prompt, so the person allows it once on the
 * options page (same extension origin) and the offscreen recorder inherits it.
 */
import type { MicrophoneProblem } from '../messaging/protocols/voice-in.ts';

export { microphoneProblem, type MicrophoneProblem } from '../messaging/protocols/voice-in.ts';

import type { MicrophonePermission } from '../messaging/protocols/voice-protocol.ts';

/** navigator.permissions' states, plus 'unknown' where the browser will not say. */
export type MicrophoneState = MicrophonePermission;

/** The state as a sentence, with how to fix a denial. */
export function describeMicrophone(state: MicrophoneState): string {
  switch (state) {
    case 'granted': return 'Microphone allowed: Hold to talk works on NextChat pages.';
    case 'denied': return 'Microphone blocked for Troupe. To fix it: open chrome://settings/content/microphone, remove Troupe from "Not allowed to use your microphone", then press Allow microphone again.';
    case 'prompt': return 'Microphone not allowed yet: press Allow microphone and accept the browser\'s question.';
    case 'unknown': return 'The browser did not say whether Troupe may use the microphone: press Allow microphone to find out.';
  }
}

/** The state as the panel says it, before the first press: nothing when allowed, else where to fix it. */
export function describeMicrophoneInPanel(state: MicrophoneState): string | null {
  switch (state) {
    case 'granted': return null;
    case 'denied': return 'The microphone is blocked for Troupe: open chrome://settings/content/microphone, remove Troupe from "Not allowed", then press Allow microphone in Troupe\'s options → Voice.';
    case 'prompt': return 'Troupe may not use the microphone yet: open Troupe\'s options → Voice and press Allow microphone (once).';
    case 'unknown': return null;
  }
}

/** A problem as a sentence. */
export function describeMicrophoneProblem(problem: MicrophoneProblem): string {
  switch (problem) {
    case 'permission-denied': return describeMicrophone('denied');
    case 'no-microphone': return 'No microphone found: plug one in (or pick one in the system\'s sound settings) and try again.';
    case 'microphone-busy': return 'The microphone is in use by another program or could not be opened: close the other program and try again.';
    case 'failed': return 'The microphone could not be opened.';
  }
}
