import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from '#imports';
import { callBackground } from '../../client/runtime-client.ts';
import { originPattern, parseStAddress } from '../../messaging/sillytavern-address.ts';
import { ST_IMPORT_MAX_CHARACTERS, ST_IMPORT_POLL_MS, ST_THUMBNAILS_PER_REQUEST } from '../../messaging/limits/st-import.ts';
import { stAddressSetting } from './st-address.ts';
import type { StConnection, StImportItemResult, StImportStatus, StListedCharacter } from '../../messaging/st-import-types.ts';
import { Avatar } from '../../ui/avatar.tsx';

type Notice = { kind: 'error' | 'ok'; text: string } | null;

const styles = {
  list: { maxHeight: '420px', overflowY: 'auto', border: '1px solid rgba(127,127,127,.3)', borderRadius: '8px', padding: '4px 8px', margin: '8px 0' },
  row: { flexDirection: 'row', alignItems: 'center', gap: '8px', fontSize: '15px', cursor: 'pointer', flex: '1' },
  tag: { fontSize: '12px', padding: '0 6px', borderRadius: '6px', background: 'rgba(29,147,171,.15)' },
  checkbox: { minWidth: 0 },
  toolbar: { display: 'flex', gap: '12px', alignItems: 'center', flexWrap: 'wrap' },
} as const;

/**
 * Loads thumbnails for the characters the list shows, a screenful per request, only once a row is
 * visible: a library of hundreds must not download hundreds of images up front.
 */
function useThumbnails(url: string | null): { thumbs: ReadonlyMap<string, string | null>; want: (avatar: string) => void } {
  const [loaded, setLoaded] = useState<{ url: string | null; thumbs: ReadonlyMap<string, string | null> }>({ url, thumbs: new Map() });
  const queue = useRef({ url, wanted: [] as string[], asked: new Set<string>(), busy: false });
  // A new address starts a new queue before any row asks (rows' effects run before this component's).
  if (queue.current.url !== url) queue.current = { url, wanted: [], asked: new Set(), busy: false };

  const pump = useCallback(() => {
    const q = queue.current;
    if (q.busy || q.url === null || q.wanted.length === 0) return;
    const avatars = q.wanted.splice(0, ST_THUMBNAILS_PER_REQUEST);
    q.busy = true;
    const done = (found: [string, string | null][]): void => {
      q.busy = false;
      if (queue.current !== q) return;
      setLoaded((prev) => ({ url: q.url, thumbs: new Map([...(prev.url === q.url ? prev.thumbs : []), ...found]) }));
      pump();
    };
    callBackground('sillytavern.thumbnails', { url: q.url, avatars }).then(
      (list) => done(list.map((t) => [t.avatar, t.dataUrl])),
      () => done(avatars.map((a) => [a, null])),
    );
  }, []);

  const want = useCallback((avatar: string) => {
    const q = queue.current;
    if (q.asked.has(avatar)) return;
    q.asked.add(avatar);
    q.wanted.push(avatar);
    // Rows scrolled into view in the same frame go out together.
    queueMicrotask(pump);
  }, [pump]);

  return { thumbs: loaded.url === url ? loaded.thumbs : NO_THUMBS, want };
}

const NO_THUMBS: ReadonlyMap<string, string | null> = new Map();

function CharacterRow({ character, checked, onToggle, thumb, want }: {
  character: StListedCharacter;
  checked: boolean;
  onToggle: (avatar: string) => void;
  thumb: string | null | undefined;
  want: (avatar: string) => void;
}) {
  const ref = useRef<HTMLLIElement>(null);
  const needsThumb = thumb === undefined;
  useEffect(() => {
    const element = ref.current;
    if (!needsThumb || element === null) return;
    if (typeof IntersectionObserver === 'undefined') return want(character.avatar);
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        observer.disconnect();
        want(character.avatar);
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [character.avatar, needsThumb, want]);

  return (
    <li ref={ref} data-avatar={character.avatar}>
      <label style={styles.row}>
        <input type="checkbox" checked={checked} onChange={() => onToggle(character.avatar)} aria-label={character.name} style={styles.checkbox} />
        <Avatar name={character.name} src={thumb ?? null} />
        <strong>{character.name}</strong>
        {character.tags.map((tag) => <span key={tag} style={styles.tag}>{tag}</span>)}
        {character.creator && <span class="muted">by {character.creator}</span>}
      </label>
    </li>
  );
}

function ResultLine({ result }: { result: StImportItemResult }) {
  const what = result.kind === 'lorebook' ? ' (World Info)' : '';
  if (!result.ok) {
    return <li class="error" data-ok="false">{result.label} — failed{what}: {result.message} <code>{result.code}</code></li>;
  }
  return (
    <li class="ok" data-ok="true">
      {result.label} — imported{what}
      {result.linkedLorebook && <span class="muted"> · World Info: {result.linkedLorebook}</span>}
      {result.warnings > 0 && <span class="muted"> · {result.warnings} {result.warnings === 1 ? 'fix' : 'fixes'} while reading</span>}
    </li>
  );
}

/** Follows one import until it ends, collecting its results. */
function useImportJob(): {
  status: StImportStatus | null;
  results: StImportItemResult[];
  error: string | null;
  follow: (jobId: string, total: number) => void;
} {
  const [jobId, setJobId] = useState<string | null>(null);
  const [status, setStatus] = useState<StImportStatus | null>(null);
  const [results, setResults] = useState<StImportItemResult[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (jobId === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let have = 0;
    const poll = async (): Promise<void> => {
      try {
        const next = await callBackground('sillytavern.importStatus', { jobId, resultsFrom: have });
        if (stopped) return;
        have += next.results.length;
        if (next.results.length > 0) setResults((prev) => [...prev, ...next.results]);
        setStatus(next);
        if (next.running) timer = setTimeout(() => void poll(), ST_IMPORT_POLL_MS);
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId]);

  const follow = useCallback((id: string, total: number) => {
    setResults([]);
    setError(null);
    setStatus({ jobId: id, running: true, phase: 'downloading', charactersDone: 0, charactersTotal: total, results: [], resultsTotal: 0, error: null });
    setJobId(id);
  }, []);

  return { status, results, error, follow };
}

/** Import characters (and the World Info they link) from the user's running SillyTavern. */
export function SillyTavernSection() {
  const [address, setAddress] = useState('');
  const [connecting, setConnecting] = useState(false);
  const [connection, setConnection] = useState<StConnection | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const { thumbs, want } = useThumbnails(connection?.url ?? null);
  const job = useImportJob();
  const running = job.status?.running === true;

  useEffect(() => {
    stAddressSetting.getValue().then((saved) => setAddress((typed) => typed || saved), () => undefined);
  }, []);

  const connect = async (event: Event) => {
    event.preventDefault();
    let url: string;
    try {
      url = parseStAddress(address);
    } catch (e) {
      return setNotice({ kind: 'error', text: (e as Error).message });
    }
    const origin = new URL(url).origin;
    // First thing in the click: the browser only asks the user during the gesture. Granted origins answer at once.
    let granted: boolean;
    try {
      granted = await browser.permissions.request({ origins: [originPattern(url)] });
    } catch (e) {
      return setNotice({ kind: 'error', text: `Troupe could not ask for access to ${origin}: ${(e as Error).message}` });
    }
    if (!granted) return setNotice({ kind: 'error', text: `Troupe was not allowed to reach ${origin}, so it cannot read your SillyTavern there. Nothing was fetched.` });
    setConnecting(true);
    setNotice(null);
    try {
      const result = await callBackground('sillytavern.connect', { url });
      setConnection(result);
      setSelected(new Set());
      setFilter('');
      const count = result.characters.length;
      setNotice({ kind: 'ok', text: `Connected to SillyTavern${result.version ? ` ${result.version}` : ''} at ${result.url}: ${count} ${count === 1 ? 'character' : 'characters'}.` });
      void stAddressSetting.setValue(result.url).catch(() => undefined);
    } catch (e) {
      setConnection(null);
      setNotice({ kind: 'error', text: (e as Error).message });
    } finally {
      setConnecting(false);
    }
  };

  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const all = connection?.characters ?? [];
    if (words.length === 0) return all;
    return all.filter((c) => {
      const text = `${c.name} ${c.tags.join(' ')} ${c.creator ?? ''}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }, [connection, filter]);

  const toggle = useCallback((avatar: string) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(avatar)) next.add(avatar);
      return next;
    });
  }, []);

  const allShownSelected = shown.length > 0 && shown.every((c) => selected.has(c.avatar));
  const toggleAll = () => {
    setSelected((prev) => {
      const next = new Set(prev);
      for (const c of shown) {
        if (allShownSelected) next.delete(c.avatar);
        else next.add(c.avatar);
      }
      return next;
    });
  };

  const startImport = async () => {
    if (connection === null) return;
    const characters = connection.characters.filter((c) => selected.has(c.avatar)).map((c) => ({ avatar: c.avatar, name: c.name }));
    if (characters.length > ST_IMPORT_MAX_CHARACTERS) {
      return setNotice({ kind: 'error', text: `${characters.length} characters are selected; import at most ${ST_IMPORT_MAX_CHARACTERS} at a time.` });
    }
    try {
      const { jobId } = await callBackground('sillytavern.import', { url: connection.url, characters });
      job.follow(jobId, characters.length);
    } catch (e) {
      setNotice({ kind: 'error', text: (e as Error).message });
    }
  };

  const stop = async () => {
    if (job.status) await callBackground('sillytavern.cancelImport', { jobId: job.status.jobId }).catch(() => undefined);
  };

  const status = job.status;
  const okCount = job.results.filter((r) => r.ok).length;

  return (
    <section aria-labelledby="sillytavern-title">
      <h2 id="sillytavern-title">SillyTavern</h2>
      <p>Import characters, and the World Info they link, from your running SillyTavern. Troupe reads the card files as SillyTavern keeps them, so nothing is lost.</p>
      <form onSubmit={connect}>
        <label>SillyTavern address <input value={address} placeholder="http://127.0.0.1:8000" onInput={(e) => setAddress(e.currentTarget.value)} /></label>
        <button type="submit" disabled={connecting}>{connecting ? 'Connecting…' : 'Connect'}</button>
      </form>
      {notice && <p role={notice.kind === 'error' ? 'alert' : 'status'} class={notice.kind}>{notice.text}</p>}

      {connection && connection.characters.length === 0 && <p>This SillyTavern has no characters.</p>}
      {connection && connection.characters.length > 0 && (
        <div>
          <div style={styles.toolbar}>
            <label style={{ flexDirection: 'row', alignItems: 'center', gap: '6px' }}>
              <input type="checkbox" checked={allShownSelected} onChange={toggleAll} style={styles.checkbox} /> Select all
            </label>
            <input type="search" value={filter} placeholder="Filter by name, tag or creator" aria-label="Filter characters" onInput={(e) => setFilter(e.currentTarget.value)} />
            <span class="muted">{selected.size} of {connection.characters.length} selected</span>
          </div>
          <ul key={connection.url} style={styles.list} aria-label="SillyTavern characters">
            {shown.map((c) => <CharacterRow key={c.avatar} character={c} checked={selected.has(c.avatar)} onToggle={toggle} thumb={thumbs.get(c.avatar)} want={want} />)}
          </ul>
          <div style={styles.toolbar}>
            <button type="button" disabled={selected.size === 0 || running} onClick={() => void startImport()}>Import selected</button>
            {running && <button type="button" onClick={() => void stop()}>Stop</button>}
          </div>
        </div>
      )}

      {status && (
        <div aria-live="polite">
          <p role="status">
            {status.running
              ? `Importing… ${status.charactersDone} of ${status.charactersTotal} characters${status.phase === 'storing' ? ' (saving)' : ''}`
              : `${status.phase === 'cancelled' ? 'Import stopped' : 'Import finished'}: ${okCount} of ${job.results.length} imported.`}
          </p>
          {status.running && <progress max={status.charactersTotal} value={status.charactersDone} />}
          {status.error && <p role="alert" class="error">{status.error.message}</p>}
        </div>
      )}
      {job.error && <p role="alert" class="error">{job.error}</p>}
      {job.results.length > 0 && (
        <ul aria-label="Import results">
          {job.results.map((r, i) => <ResultLine key={`${i}:${r.source}`} result={r} />)}
        </ul>
      )}
    </section>
  );
}
