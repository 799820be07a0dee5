import { SitesSection } from './SitesSection.tsx';
import { LibrarySection } from './LibrarySection.tsx';
import { SillyTavernSection } from './SillyTavernSection.tsx';
import { SyncSection } from './SyncSection.tsx';
import { PromptSection } from './PromptSection.tsx';
import { MemorySection } from './MemorySection.tsx';
import { VoiceSection } from './VoiceSection.tsx';
import { PacksSection } from './PacksSection.tsx';

/** The full-page settings: one section per domain, each in its own file. */
export function OptionsPage() {
  return (
    <main>
      <h1>Troupe</h1>
      <SitesSection />
      <LibrarySection />
      <PacksSection />
      <PromptSection />
      <MemorySection />
      <VoiceSection />
      <SillyTavernSection />
      <SyncSection />
    </main>
  );
}
