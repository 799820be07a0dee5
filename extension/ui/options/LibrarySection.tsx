import { useEffect, useState } from 'preact/hooks';
import { callBackground } from '../../lib/messaging/runtime-client.ts';
import type { CharacterSummary } from '../../lib/db/characters.ts';
import { Avatar } from '../avatar.tsx';

/** The character library at a glance. */
export function LibrarySection() {
  const [characters, setCharacters] = useState<CharacterSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { callBackground('characters.list', {}).then(setCharacters, (e: Error) => setError(e.message)); }, []);
  return (
    <section aria-labelledby="library-title">
      <h2 id="library-title">Library</h2>
      {error && <p role="alert" class="error">{error}</p>}
      {characters?.length === 0 && <p>No characters yet: create one from the Troupe panel on a NextChat page.</p>}
      <ul class="library" aria-label="Characters">
        {characters?.map((c) => (
          <li key={c.id}><Avatar name={c.name} src={c.avatar} /> <strong>{c.name}</strong> <span class="muted">{c.description.slice(0, 140)}</span></li>
        ))}
      </ul>
    </section>
  );
}
