import { LibraryManager } from '../../ui/library/LibraryManager.tsx';
import '../../ui/library/library.css';

/** The character library: the full manager (import, browse, edit, lorebooks, export). */
export function LibrarySection() {
  return (
    <section aria-labelledby="library-title" class="tl-library">
      <h2 id="library-title">Library</h2>
      <LibraryManager />
    </section>
  );
}
