/** Says whether Troupe is working on this page and, if not, why; NextChat keeps working either way. */
import { defineFeature, type FeatureProps } from '../feature.ts';

function StatusLine({ overlay, actions }: FeatureProps<undefined, 'site'>) {
  return (
    <div class="status">
      <p role="status" aria-label="Troupe status">
        {overlay.interceptor === 'connected' ? 'Ready on this NextChat page.' : 'Not connected: requests go out unchanged.'}
        {overlay.lastRequest ? ` Last request sent as ${overlay.lastRequest.characterName}.` : ''}
      </p>
      {overlay.missingLandmarks.length > 0 && (
        <p class="warning">This NextChat looks different from the one Troupe knows (missing: {overlay.missingLandmarks.join(', ')}). Some parts may not work.</p>
      )}
      {overlay.lastError && (
        <div class="error" role="alert">
          <span>{overlay.lastError}</span>
          <button type="button" class="link" aria-label="Dismiss error" onClick={actions.dismissError}>Dismiss</button>
        </div>
      )}
    </div>
  );
}

export const statusLine = defineFeature({ id: 'status-line', title: 'Status', needs: 'site', Component: StatusLine, collapsible: false });
