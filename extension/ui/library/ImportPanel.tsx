import { Component } from 'preact';
import { useState } from 'preact/hooks';
import { importFiles, type ImportProgress } from '../../client/import-client.ts';
import type { FileReaders } from '../../client/import-workers.ts';
import type { ImportResult } from '../../messaging/library-wire.ts';
import { importTransport } from '../../client/library-client.ts';

const ACCEPT = '.png,.json,.charx,image/png,application/json,application/zip';
/** Result lines per group: a progress update re-renders the groups whose lines changed, not every line so far. */
const LINES_PER_GROUP = 100;

/**
 * Batch import: a file picker and a drop zone for PNG, JSON, CHARX and World Info files, a progress
 * bar, and one line per file (stored, or the reader's error code and reason, with any warnings).
 * `openReaders` (extension pages) reads and parses the files off the page's thread.
 */
export function ImportPanel({ compact = false, onImported, openReaders }: {
  compact?: boolean;
  onImported?(results: ImportResult[]): void;
  openReaders?(assets: 'blob' | 'base64'): FileReaders;
}) {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [dragging, setDragging] = useState(false);

  const run = async (files: File[]) => {
    if (files.length === 0 || running) return;
    setRunning(true);
    setProgress({ done: 0, total: files.length, results: files.map(() => undefined) });
    const transport = importTransport();
    const readers = openReaders?.(transport.assets ?? 'base64');
    try {
      const results = await importFiles(files, { ...transport, ...(readers ? { readFile: readers.readFile } : {}), onProgress: setProgress });
      setProgress({ done: results.length, total: results.length, results });
      onImported?.(results);
    } finally {
      readers?.close();
      setRunning(false);
    }
  };

  const results = progress?.results.filter((r): r is ImportResult => r !== undefined) ?? [];
  const stored = results.filter((r) => r.ok).length;

  return (
    <div
      class={`tl-import${dragging ? ' tl-dragging' : ''}`}
      role="region"
      aria-label="Card import (drop files here)"
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void run([...(e.dataTransfer?.files ?? [])]);
      }}
    >
      <label class="tl-file">
        {compact ? 'Import cards' : 'Import cards (PNG, JSON, CHARX, World Info)'}
        <input type="file" multiple accept={ACCEPT} disabled={running} onChange={(e) => {
          const input = e.currentTarget;
          const files = [...(input.files ?? [])];
          input.value = '';
          void run(files);
        }} />
      </label>
      {!compact && <p class="tl-muted tl-small">…or drop files here.</p>}
      {progress && (
        <div class="tl-progress">
          <progress aria-label="Import progress" max={progress.total} value={progress.done} />
          <span role="status" aria-label="Import status">
            {running ? `Importing ${progress.done} of ${progress.total}…` : `Imported ${stored} of ${progress.total} ${progress.total === 1 ? 'file' : 'files'}.`}
          </span>
        </div>
      )}
      {results.length > 0 && (
        <ul class="tl-results" aria-label="Import results">
          {groupsOf(results).map((group, i) => <ResultGroup key={i} results={group} />)}
        </ul>
      )}
    </div>
  );
}

function groupsOf(results: readonly ImportResult[]): ImportResult[][] {
  const groups: ImportResult[][] = [];
  for (let i = 0; i < results.length; i += LINES_PER_GROUP) groups.push(results.slice(i, i + LINES_PER_GROUP));
  return groups;
}

/** A run of result lines that renders again only when one of its lines changed. */
class ResultGroup extends Component<{ results: readonly ImportResult[] }> {
  override shouldComponentUpdate(next: { results: readonly ImportResult[] }): boolean {
    const { results } = this.props;
    return next.results.length !== results.length || next.results.some((result, i) => result !== results[i]);
  }

  override render() {
    return <>{this.props.results.map((result, i) => <ResultLine key={i} result={result} />)}</>;
  }
}

/** One file's line. A result never changes once set, so a line renders once. */
class ResultLine extends Component<{ result: ImportResult }> {
  override shouldComponentUpdate(next: { result: ImportResult }): boolean {
    return next.result !== this.props.result;
  }

  override render() {
    const { result } = this.props;
    if (!result.ok) {
      return (
        <li class="tl-result tl-error">
          <span aria-hidden="true">✗</span> <strong>{result.label}</strong>: <code>{result.code}</code> {result.message}
        </li>
      );
    }
    return (
      <li class="tl-result tl-ok">
        <span aria-hidden="true">✓</span> <strong>{result.label}</strong>: {result.kind === 'lorebook' ? 'lorebook' : 'character'} “{result.name}” imported
        {result.warnings.length > 0 && (
          <details>
            <summary>{result.warnings.length} {result.warnings.length === 1 ? 'warning' : 'warnings'}</summary>
            <ul>{result.warnings.map((w, i) => <li key={i}>{w.path && <code>{w.path}</code>} {w.message}</li>)}</ul>
          </details>
        )}
      </li>
    );
  }
}
