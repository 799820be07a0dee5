import { useEffect } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { PackImport } from '../../ui/packs/PackImport.tsx';

/** The link this page was opened with (`pack.html#<encoded link>`), or ''. */
export function linkFromHash(hash: string): string {
  try {
    return decodeURIComponent(hash.replace(/^#/, ''));
  } catch {
    return '';
  }
}

/** Troupe's import page: opens the pack link in its address's fragment and offers Add to my library. */
export function PackPage() {
  const link = linkFromHash(location.hash);
  // Opening a pack is a good moment to ask the relays about packs imported earlier (bounded, at most once a minute each).
  useEffect(() => { callBackground('packs.imported.check', { force: false }).catch(() => undefined); }, []);
  return (
    <main class="tl-library">
      <h1>Open a character pack</h1>
      <p>A pack holds characters shared by link. Nothing is stored until you press Add to my library, and then everything is, or nothing.</p>
      <PackImport initialLink={link} autoOpen={link !== ''} />
      <p class="tl-small"><a href="options.html">Troupe settings and library</a></p>
    </main>
  );
}
