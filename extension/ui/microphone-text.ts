/**
 * The microphone's permission for Troupe's extension origin, in words. Chrome remembers a microphone
 * grant per origin; an offscreen document cannot show the prompt, so the person allows it once on the
 * options page (same extension origin) and the offscreen recorder inherits it.
 */

/** navigator.permissions' states, plus 'unknown' where the browser will not say. */
export type MicrophoneState = 'granted' | 'denied' | 'prompt' | 'unknown';

/** What went wrong when Troupe asked for the microphone (from getUserMedia's DOMException name). */
export type MicrophoneProblem = 'permission-denied' | 'no-microphone' | 'microphone-busy' | 'failed';

/** The state as a sentence, with how to fix a denial. */
export function describeMicrophone(state: MicrophoneState): string {
  switch (state) {
    case 'granted': return 'Microphone allowed: Hold to talk works on NextChat pages.';
    case 'denied': return 'Microphone blocked for Troupe. To fix it: open chrome://settings/content/microphone, remove Troupe from "Not allowed to use your microphone", then press Allow microphone again.';
    case 'prompt': return 'Microphone not allowed yet: press Allow microphone and accept the browser\'s question.';
    case 'unknown': return 'The browser did not say whether Troupe may use the microphone: press Allow microphone to find out.';
  }
}

/** getUserMedia's failure as a problem code (DOMException names per the Media Capture spec). */
export function microphoneProblem(error: unknown): MicrophoneProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'permission-denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-microphone';
  if (name === 'NotReadableError' || name === 'AbortError') return 'microphone-busy';
  return 'failed';
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
