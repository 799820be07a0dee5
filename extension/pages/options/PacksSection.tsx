import { PackImport } from '../../ui/packs/PackImport.tsx';
import { SharedPacks } from '../../ui/packs/SharedPacks.tsx';
import { ImportedPacks } from '../../ui/packs/ImportedPacks.tsx';

/** Character packs: open a pack link, the packs this device shares, and the packs it imported. */
export function PacksSection() {
  return (
    <section aria-labelledby="packs-title" class="tl-library">
      <h2 id="packs-title">Character packs</h2>
      <p>Share characters as a short private link (pick them in the library above and press Share as link), or open a link someone gave you.</p>
      <h3>Open a pack link</h3>
      <PackImport />
      <SharedPacks />
      <ImportedPacks />
    </section>
  );
}
