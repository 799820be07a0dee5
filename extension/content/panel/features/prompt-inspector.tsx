/** How Troupe built this chat's last request: each message with its cost, the lore that fired and why, what was cut. */
import type { LoreSource, PromptReport, ReportHistory } from '@troupe/shared/prompt';
import { defineFeature, type FeatureProps } from '../feature.ts';

/** Which role the entry's book played, in SillyTavern's words. */
const SOURCE_LABELS: Readonly<Record<LoreSource, string>> = { chat: 'chat lore', character: 'character lore', global: 'global lore' };

/** Where the history came from: the whole chat, or only NextChat's window and why. */
function historyLine(history: ReportHistory): string {
  if (history.source === 'whole-chat') return `History: the whole chat NextChat saved: ${history.added} earlier messages before NextChat's own recent ones.`;
  return `History: only NextChat's recent messages${history.reason ? ` (${history.reason})` : ''}.`;
}

/** What memory gave this request beside the chat, and what it cost. */
/** What the character's other chats gave (long-term memory), or null when they gave nothing. */
function longTermPart(longTerm: NonNullable<PromptReport['memory']>['longTerm']): string | null {
  const passages = longTerm?.passages.length ?? 0;
  if (!longTerm || (passages === 0 && longTerm.facts === 0)) return null;
  const recalled = passages > 0 ? `${passages} ${passages === 1 ? 'passage' : 'passages'} recalled` : null;
  const facts = longTerm.facts > 0 ? `${longTerm.facts} tokens of facts` : null;
  return `from other chats: ${[facts, recalled].filter((part) => part !== null).join(' and ')}`;
}

function memoryLine(memory: NonNullable<PromptReport['memory']>): string {
  const covered = memory.summaries.reduce((sum, s) => sum + s.covers, 0);
  const parts = [
    // `facts` counts the other chats' facts too: those are told apart below.
    memory.facts - (memory.longTerm?.facts ?? 0) > 0 ? `${memory.facts - (memory.longTerm?.facts ?? 0)} tokens of pinned facts` : null,
    memory.summaries.length > 0 ? `${memory.summaries.length} ${memory.summaries.length === 1 ? 'summary' : 'summaries'} of ${covered} earlier messages` : null,
    memory.recalled.length > 0 ? `${memory.recalled.length} recalled ${memory.recalled.length === 1 ? 'message' : 'messages'}` : null,
    longTermPart(memory.longTerm),
  ].filter((part) => part !== null);
  return `Memory: ${memory.used} of ${memory.budget} tokens (${parts.join(', ')}).`;
}

function PromptInspector({ data: report }: FeatureProps<PromptReport | null, 'character'>) {
  return (
    // The panel section is the disclosure: no nested one.
    <div class="inspector">
      {!report ? <p class="muted small">No request has been built in this chat yet. Send a message to see its prompt.</p> : (
        <div class="create small">
          <p>{report.fit.total} of {report.fit.contextSize} tokens ({report.fit.reserved} kept for the reply), {report.model}{report.provider ? ` via ${report.provider}` : ''}</p>
          {!report.fit.fits && <p class="error" role="alert">{report.fit.message ?? 'The prompt does not fit the model\'s context.'}</p>}
          <table aria-label="Prompt parts">
            <thead><tr><th scope="col">Role</th><th scope="col">Part</th><th scope="col">Tokens</th></tr></thead>
            <tbody>
              {report.parts.map((p) => <tr key={p.id}><td>{p.role}</td><td>{p.label}</td><td>{p.tokens}</td></tr>)}
            </tbody>
          </table>
          <h4>Lore entries</h4>
          {report.lore.entries.length === 0 ? <p class="muted">No lore entry fired.</p> : (
            <ul aria-label="Lore entries">
              {report.lore.entries.map((e) => <li key={e.id}>{e.comment || e.id} ({SOURCE_LABELS[e.source]} “{e.book}”): {e.why}, {e.position}, {e.tokens} tokens</li>)}
            </ul>
          )}
          <p class="muted">Lore budget: {report.lore.budget.used} of {report.lore.budget.limit} tokens{report.lore.skipped ? `, ${report.lore.skipped} entries left out for budget` : ''}.</p>
          {report.lore.warnings.length > 0 && (
            <ul aria-label="Warnings" class="warning">{report.lore.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>
          )}
          {report.history && <p class="muted" aria-label="History source">{historyLine(report.history)}</p>}
          {report.memory && <p class="muted" aria-label="Memory used">{memoryLine(report.memory)}</p>}
          <p class="muted">
            {report.trimmed.historyDropped > 0 ? `${report.trimmed.historyDropped} older messages left out to fit; ` : 'Nothing trimmed; '}
            {report.trimmed.historyKept} history messages kept{report.trimmed.greetingDropped ? '; the greeting was left out' : ''}.
          </p>
        </div>
      )}
    </div>
  );
}

export const promptInspector = defineFeature({
  id: 'prompt-inspector',
  title: 'Prompt inspector',
  needs: 'character',
  load: ({ chatKey, call }) => call('prompt.report', { chatKey }),
  // A build announces itself with every request (read once its reply is under way) and a change to the chat may change the next.
  reloadOn: ['prompt-built', 'chat-changed'],
  Component: PromptInspector,
  summary: (report) => (report ? `${report.fit.total} of ${report.fit.contextSize} tokens` : null),
});
