import { useEffect, useState } from 'preact/hooks';
import { describeMicrophone, describeMicrophoneProblem, microphoneProblem, type MicrophoneState } from '../../ui/microphone-text.ts';

/** The microphone permission as navigator.permissions reports it for this (the extension's) origin. */
async function queryMicrophone(): Promise<{ state: MicrophoneState; status: PermissionStatus | null }> {
  try {
    const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    return { state: status.state, status };
  } catch {
    return { state: 'unknown', status: null };
  }
}

/**
 * "Allow microphone": asks for the microphone from this extension page, because the offscreen document
 * that records push-to-talk cannot show the browser's prompt. Chrome remembers the grant for the
 * extension's origin, so it is asked once. The stream is stopped at once: this only asks.
 */
export function MicrophoneAccess() {
  const [state, setState] = useState<MicrophoneState>('unknown');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const watch = new AbortController();
    void queryMicrophone().then(({ state: now, status }) => {
      setState(now);
      status?.addEventListener('change', () => setState(status.state), { signal: watch.signal });
    });
    return () => watch.abort();
  }, []);

  const allow = async () => {
    setProblem(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) track.stop();
      setState('granted');
    } catch (error) {
      const code = microphoneProblem(error);
      if (code === 'permission-denied') setState('denied');
      setProblem(describeMicrophoneProblem(code));
    }
    const after = await queryMicrophone();
    if (after.state !== 'unknown') setState(after.state);
  };

  return (
    <div aria-label="Microphone">
      <p aria-live="polite" data-microphone={state}>{describeMicrophone(state)}</p>
      <button type="button" onClick={() => void allow()}>Allow microphone</button>
      {problem && <p role="alert" class="error">{problem}</p>}
    </div>
  );
}
