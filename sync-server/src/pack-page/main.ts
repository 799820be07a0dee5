/**
 * The pack page's entry (bundled by the relay, see routes/pack-page-bundle.ts): reads the id and key
 * from this page's address, downloads the sealed pack from the same relay, opens it here (the key
 * never leaves the browser) and offers each character as a SillyTavern card.
 */
import { exportWorldInfoJson } from '@troupe/shared/cards';
import { OPENED_BY_TROUPE_ATTRIBUTE, type Pack } from '@troupe/shared/packs';
import { avatarToPng } from './avatar-to-png.ts';
import { avatarPng, cardFile } from './card-files.ts';
import { summariseCharacter, type CharacterSummary } from './character-summary.ts';
import { fileNameFor } from './file-name.ts';
import { loadPack, missingFeatures } from './load-pack.ts';
import { readPageLocation } from './page-location.ts';
import { renderLoading, renderOpenedInTroupe, renderPack, renderProblem, type DownloadKind } from './render.ts';
import { saveFile } from './save-file.ts';

const BLANK_IMAGE_NOTE = 'The avatar could not be put into the PNG, so this card has a blank image; the CHARX download carries the avatar.';

async function start(root: HTMLElement): Promise<void> {
  // A corrected link pasted over this one changes only the fragment: start again with it.
  window.addEventListener('hashchange', () => location.reload());
  const missing = missingFeatures();
  if (missing.length > 0) return renderProblem(root, { code: 'page/unsupported-browser', missing });
  const where = readPageLocation(location.pathname, location.hash);
  if (!where.ok) return renderProblem(root, where.problem);
  const openHere = async () => {
    renderLoading(root);
    const result = await loadPack(where.packPath, where.key, (url, init) => fetch(url, init));
    if (!result.ok) return renderProblem(root, result.problem);
    showPack(root, result.opened.pack);
  };
  const html = document.documentElement;
  if (!html.hasAttribute(OPENED_BY_TROUPE_ATTRIBUTE)) return openHere();
  renderOpenedInTroupe(root, () => void openHere());
  // Troupe takes its mark back when it could not open the pack: then this page does.
  const watch = new MutationObserver(() => {
    if (html.hasAttribute(OPENED_BY_TROUPE_ATTRIBUTE)) return;
    watch.disconnect();
    void openHere();
  });
  watch.observe(html, { attributes: true, attributeFilter: [OPENED_BY_TROUPE_ATTRIBUTE] });
}

function showPack(root: HTMLElement, pack: Pack): void {
  const summaries = pack.characters.map(summariseCharacter);
  // The type comes from the sniffed bytes, and only raster types: an image never runs script.
  const avatarUrls = summaries.map((s) => (s.avatar ? URL.createObjectURL(new Blob([s.avatar.asset.bytes as Uint8Array<ArrayBuffer>], { type: s.avatar.mime })) : null));
  const view = {
    characters: summaries,
    lorebooks: pack.lorebooks.map((book, i) => ({ name: book.name?.trim() || `Lorebook ${i + 1}`, entries: book.entries.length })),
    personas: pack.personas?.length ?? 0,
  };
  renderPack(root, view, {
    avatarUrl: (index) => avatarUrls[index] ?? null,
    downloadCharacter: (index, kind) => downloadCharacter(pack, summaries, index, kind),
    downloadLorebook(index) {
      const book = pack.lorebooks[index]!;
      const text = exportWorldInfoJson(book);
      saveFile(document, { name: fileNameFor(view.lorebooks[index]!.name, 'json', 'lorebook'), mime: 'application/json', bytes: new TextEncoder().encode(text) });
    },
  });
  document.title = summaries.length === 1 ? `${summaries[0]!.name}: a character pack` : `A character pack: ${summaries.length} characters`;
}

async function downloadCharacter(pack: Pack, summaries: CharacterSummary[], index: number, kind: DownloadKind): Promise<string | null> {
  const character = pack.characters[index]!;
  let image: Uint8Array | undefined;
  if (kind === 'png') {
    const avatar = summaries[index]!.avatar;
    image = avatarPng(character) ?? (avatar ? ((await avatarToPng(avatar.asset.bytes, avatar.mime, document)) ?? undefined) : undefined);
  }
  const file = cardFile(character, kind, image);
  saveFile(document, file);
  return file.blankImage ? BLANK_IMAGE_NOTE : null;
}

const root = document.getElementById('pack-page');
if (root) {
  start(root).catch((error: unknown) => renderProblem(root, { code: 'page/failed', detail: error instanceof Error ? error.message : String(error) }));
}
