/**
 * The page side of importing (options page, panel): reads and parses each file where it was picked
 * (in import workers where the page can start them, see import-workers.ts), packs the parsed cards
 * into bounded messages and hands them to the background, reporting progress and one result per
 * file. A file that does not parse gets its CardError; the batch goes on.
 */
import { MAX_CARD_FILE_BYTES, parseCardFile, type Asset, type ParsedFile } from '@troupe/shared/cards';
import { bytesToBase64 } from '@troupe/shared/bytes';
import { describeError } from '@troupe/shared/batch';
import {
  IMPORT_BATCH_TARGET_CHARS,
  IMPORT_PIPELINE_DEPTH,
  IMPORT_READ_AHEAD,
  MAX_IMPORT_BATCH_ITEMS,
  MAX_IMPORT_MESSAGE_CHARS,
  MAX_WARNINGS_PER_ITEM,
} from '../messaging/limits/library.ts';
import type { ImportResult, WireAsset, WireImportItem } from '../messaging/library-wire.ts';
import { imageRanges } from './image-slices.ts';

/** What importFiles needs of a File (so tests can pass plain objects). */
export interface FileLike {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** A File's slice: lets a PNG card's image travel as pieces of the file (see image-slices.ts). */
  slice?(start: number, end: number): Blob;
}

export interface ImportProgress {
  done: number;
  total: number;
  /** One slot per input, filled as results arrive. */
  results: (ImportResult | undefined)[];
}

export interface ImportOptions {
  /** Sends one batch to the background and returns its results in order (the runtime message in the UI). */
  send(items: WireImportItem[]): Promise<ImportResult[]>;
  /**
   * How asset bytes travel: `blob` over the service worker channel (extension pages; no copy, no
   * JSON), `base64` over runtime messages (content scripts, which cannot reach the worker). Default base64.
   */
  assets?: 'blob' | 'base64';
  /**
   * Reads and parses one file somewhere else (the import workers of an extension page, so a big
   * import leaves the page's own thread to the page); by default on the caller's thread.
   */
  readFile?(file: FileLike): Promise<ReadFile>;
  onProgress?(progress: ImportProgress): void;
}

/** One file ready for the wire, with about how big its message is; or why it cannot be imported. */
export type ReadFile = { item: WireImportItem; chars: number } | ImportResult;

/** A parsed card from anywhere and the name results should give it. */
export interface ParsedItem {
  label: string;
  parsed: ParsedFile;
}

/**
 * Parses and imports files (PNG, JSON, CHARX, World Info, lorebook_v3), one result per file in order.
 * @example
 *   const results = await importFiles([...input.files], { send: sendImportBatch, onProgress: setProgress });
 */
export async function importFiles(files: readonly FileLike[], options: ImportOptions): Promise<ImportResult[]> {
  const assets = options.assets ?? 'base64';
  const readFile = options.readFile ?? ((file: FileLike) => readCardFile(file, assets));
  return runImport(files.length, options, options.readFile ? IMPORT_READ_AHEAD : 1, async (index) => {
    const file = files[index]!;
    try {
      return await readFile(file);
    } catch (error) {
      return { label: file.name, ok: false, ...describeError(error, 'import/failed') };
    }
  });
}

/** Imports cards that are already parsed (from any source), batched like files. */
export async function importParsedFiles(items: readonly ParsedItem[], options: ImportOptions): Promise<ImportResult[]> {
  return runImport(items.length, options, 1, async (index) => ready(toWire(items[index]!, options.assets ?? 'base64')));
}

/**
 * Reads and parses one picked file into its wire item, or the reason it cannot be imported (too
 * large, not a card). Pure apart from reading the file, so an import worker runs it as well.
 */
export async function readCardFile(file: FileLike, assets: 'blob' | 'base64'): Promise<ReadFile> {
  if (file.size > MAX_CARD_FILE_BYTES) {
    return { label: file.name, ok: false, code: 'file/too-large', message: `"${file.name}" is ${file.size} bytes; cards up to ${MAX_CARD_FILE_BYTES} bytes are supported.` };
  }
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return ready(toWire({ label: file.name, parsed: parseCardFile(bytes, file.name) }, assets, { file, bytes }));
  } catch (error) {
    return { label: file.name, ok: false, ...describeError(error, 'import/failed') };
  }
}

function ready(item: WireImportItem): ReadFile {
  return { item, chars: wireSize(item) };
}

/** `readAhead`: files read at once (several keep import workers busy; on the caller's own thread one is enough). */
async function runImport(total: number, options: ImportOptions, readAhead: number, read: (index: number) => Promise<ReadFile>): Promise<ImportResult[]> {
  const results: (ImportResult | undefined)[] = new Array(total).fill(undefined);
  let done = 0;
  const report = () => options.onProgress?.({ done, total, results: [...results] });
  const settle = (index: number, result: ImportResult) => {
    results[index] = result;
    done++;
  };

  let batch: { index: number; item: WireImportItem }[] = [];
  let batchChars = 0;
  const inFlight = new Set<Promise<void>>();
  const flush = async () => {
    if (batch.length === 0) return;
    const sending = batch;
    batch = [];
    batchChars = 0;
    const task = options.send(sending.map((b) => b.item)).then(
      (answers) => sending.forEach((b, i) => settle(b.index, answers[i] ?? { label: b.item.label, ok: false, code: 'import/failed', message: 'The background did not answer for this file.' })),
      (error: unknown) => sending.forEach((b) => settle(b.index, { label: b.item.label, ok: false, ...describeError(error, 'import/failed') })),
    ).then(report);
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    // Parse the next batch while this one is written, but no further ahead.
    while (inFlight.size >= IMPORT_PIPELINE_DEPTH) await Promise.race(inFlight);
  };

  // Reads run ahead of the batching, so import workers parse the next files while a batch is packed or sent.
  const reads = new Map<number, Promise<ReadFile>>();
  let nextRead = 0;
  const startReads = (from: number) => {
    for (; nextRead < total && nextRead < from + readAhead; nextRead++) reads.set(nextRead, read(nextRead));
  };
  let lastYield = Date.now();
  for (let index = 0; index < total; index++) {
    startReads(index);
    const read_ = await reads.get(index)!;
    reads.delete(index);
    if ('ok' in read_) {
      settle(index, read_);
      report();
    } else {
      const { item, chars } = read_;
      if (chars > MAX_IMPORT_MESSAGE_CHARS) {
        settle(index, { label: item.label, ok: false, code: 'import/too-large', message: `"${item.label}" is too large to hand to the library in one piece (${chars} characters; limit ${MAX_IMPORT_MESSAGE_CHARS}).` });
        report();
      } else {
        if (batch.length > 0 && (batch.length >= MAX_IMPORT_BATCH_ITEMS || batchChars + chars > IMPORT_BATCH_TARGET_CHARS)) await flush();
        batch.push({ index, item });
        batchChars += chars;
      }
    }
    // Let the page paint its progress bar now and then.
    if (Date.now() - lastYield > 40) {
      await yieldToPage();
      lastYield = Date.now();
    }
  }
  await flush();
  await Promise.all(inFlight);
  return results.map((r, i) => r ?? { label: String(i), ok: false, code: 'import/failed', message: 'No result.' });
}

/**
 * A parsed file in the wire format (assets as Blobs or base64, warnings capped). Given the file it
 * came from, an image that is the file's own PNG minus its card chunks travels as slices of the file.
 */
export function toWire({ label, parsed }: ParsedItem, assets: 'blob' | 'base64' = 'base64', source?: { file: FileLike; bytes: Uint8Array }): WireImportItem {
  const warnings = parsed.warnings.length <= MAX_WARNINGS_PER_ITEM
    ? parsed.warnings
    : [...parsed.warnings.slice(0, MAX_WARNINGS_PER_ITEM - 1), { path: '', message: `…and ${parsed.warnings.length - MAX_WARNINGS_PER_ITEM + 1} more fixes.` }];
  if (parsed.kind === 'lorebook') return { kind: 'lorebook', label, lorebook: parsed.lorebook, sourceFormat: parsed.sourceFormat, warnings };
  return {
    kind: 'character',
    label,
    character: parsed.character,
    sourceFormat: parsed.sourceFormat,
    warnings,
    assets: parsed.assets.map((asset) => {
      const wire: WireAsset = { uri: asset.uri, name: asset.name, mime: asset.mime };
      if (assets === 'blob') wire.blob = assetBlob(asset, source);
      else wire.base64 = bytesToBase64(asset.bytes);
      if (asset.path !== undefined) wire.path = asset.path;
      return wire;
    }),
  };
}

function assetBlob(asset: Asset, source: { file: FileLike; bytes: Uint8Array } | undefined): Blob {
  const slice = source?.file.slice?.bind(source.file);
  const ranges = slice && source ? imageRanges(source.bytes, asset.bytes) : null;
  if (slice && ranges) return new Blob(ranges.map(([start, end]) => slice(start, end)), { type: asset.mime });
  return new Blob([asset.bytes as Uint8Array<ArrayBuffer>], { type: asset.mime });
}

/** About how big an item's message is: JSON characters, plus the bytes of its Blobs. */
function wireSize(item: WireImportItem): number {
  if (item.kind === 'lorebook') return JSON.stringify(item.lorebook).length + 1_000;
  return JSON.stringify(item.character).length + item.assets.reduce((sum, asset) => sum + (asset.base64?.length ?? asset.blob?.size ?? 0) + asset.uri.length + 200, 1_000);
}

/** Gives the page a turn (a message-channel task: unlike setTimeout it is not clamped in background tabs). */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
