/**
 * Real speech audio for the test LLM's TTS endpoint: Debian's espeak-ng (FACTS.md: headless Chromium
 * has no speech voices, so TTS under test goes through HTTP and `<audio>`). Deterministic for a given
 * text and speed, fast (tens of ms a sentence), and a real WAV a browser decodes.
 */
import { spawn } from 'node:child_process';

/** Where Debian installs espeak-ng (the test command installs the package). */
export const ESPEAK_PATH = '/usr/bin/espeak-ng';

/** espeak-ng's default rate, in words a minute: speed 1. */
const ESPEAK_DEFAULT_WPM = 175;
/** espeak-ng's accepted rates: it clamps below 80 and above 450 itself, less predictably. */
const ESPEAK_MIN_WPM = 80;
const ESPEAK_MAX_WPM = 450;

/** The fields of a PCM WAV header a test checks. */
export interface WavHeader {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Bytes of samples (the data chunk's size). */
  dataBytes: number;
  /** Offset of the first sample byte. */
  dataOffset: number;
  /** The RIFF size field (file length - 8 in a well-formed file). */
  riffSize: number;
}

/** Reads a RIFF/WAVE header; null when the bytes are not a PCM WAV with fmt and data chunks. */
export function readWavHeader(wav: Buffer): WavHeader | null {
  if (wav.length < 12 || wav.toString('latin1', 0, 4) !== 'RIFF' || wav.toString('latin1', 8, 12) !== 'WAVE') return null;
  let fmt: Omit<WavHeader, 'dataBytes' | 'dataOffset' | 'riffSize'> | null = null;
  for (let at = 12; at + 8 <= wav.length; ) {
    const id = wav.toString('latin1', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 24 <= wav.length) {
      fmt = { format: wav.readUInt16LE(at + 8), channels: wav.readUInt16LE(at + 10), sampleRate: wav.readUInt32LE(at + 12), bitsPerSample: wav.readUInt16LE(at + 22) };
    }
    if (id === 'data') return fmt ? { ...fmt, dataBytes: size, dataOffset: at + 8, riffSize: wav.readUInt32LE(4) } : null;
    at += 8 + size + (size % 2);
  }
  return null;
}

/**
 * espeak-ng writes to a pipe without seeking back, so its RIFF and data sizes are placeholders
 * (0x7ffff000); strict decoders (`decodeAudioData`) want the real ones. Fixes them in place.
 */
function fixSizes(wav: Buffer): Buffer {
  const header = readWavHeader(wav);
  if (!header) throw new Error('espeak-ng did not write a WAV file');
  wav.writeUInt32LE(wav.length - 8, 4);
  wav.writeUInt32LE(wav.length - header.dataOffset, header.dataOffset - 4);
  return wav;
}

/**
 * `text` spoken by espeak-ng as a mono 16-bit 22,050 Hz WAV. `speed` scales espeak's default rate as
 * OpenAI's `speed` does (1 = normal). The text goes in on stdin, so nothing in it is read as an option.
 */
export function espeakWav(text: string, options: { speed?: number } = {}): Promise<Buffer> {
  const wpm = Math.round(Math.min(ESPEAK_MAX_WPM, Math.max(ESPEAK_MIN_WPM, ESPEAK_DEFAULT_WPM * (options.speed ?? 1))));
  return new Promise((resolve, reject) => {
    const child = spawn(ESPEAK_PATH, ['--stdout', '-s', String(wpm)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`cannot run ${ESPEAK_PATH} (install the Debian package espeak-ng): ${error.message}`)));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`espeak-ng exited with ${code}: ${Buffer.concat(err).toString('utf8').trim()}`));
        return;
      }
      try {
        resolve(fixSizes(Buffer.concat(out)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.stdin.end(text, 'utf8');
  });
}
