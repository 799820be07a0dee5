import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../overlay-context.ts';

/** Says whether Troupe is working on this page and, if not, why; NextChat keeps working either way. */
function StatusLine() {
  const { state, actions } = useOverlay();
  return (
    <div class="status">
      <p role="status" aria-label="Troupe status">
        {state.interceptor === 'connected' ? 'Ready on this NextChat page.' : 'Not connected: requests go out unchanged.'}
        {state.lastRequest ? ` Last request sent as ${state.lastRequest.characterName}.` : ''}
      </p>
      {state.missingLandmarks.length > 0 && (
        <p class="warning">This NextChat looks different from the one Troupe knows (missing: {state.missingLandmarks.join(', ')}). Some parts may not work.</p>
      )}
      {state.lastError && (
        <div class="error" role="alert">
          <span>{state.lastError}</span>
          <button type="button" class="link" aria-label="Dismiss error" onClick={actions.dismissError}>Dismiss</button>
        </div>
      )}
    </div>
  );
}

export const statusLine: PanelFeature = { id: 'status-line', title: 'Status', Component: StatusLine, collapsible: false };
