/** Runtime messages about the sites Troupe's NextChat overlay runs on. */
import { originToMatchPattern } from '../origins.ts';
import { MessageError, object, string } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';

export interface OriginsApi {
  'origins.list': { req: Record<string, never>; res: string[] };
  'origins.enable': { req: { pattern: string }; res: string[] };
  'origins.disable': { req: { pattern: string }; res: string[] };
  /** Whether the person confirmed Troupe on this site (its panel asks once per origin). */
  'origins.isConfirmed': { req: { origin: string }; res: boolean };
  /** The person's confirmation, from their click in the panel. */
  'origins.confirm': { req: { origin: string }; res: true };
}

/** An http(s) origin exactly as `URL.origin` writes it. */
function origin(value: unknown): string {
  const text = string(value, 'origin', 300, { min: 1 });
  let parsed: URL;
  try { parsed = new URL(text); } catch { throw new MessageError('origin must be a web address such as http://127.0.0.1:3000'); }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== text) throw new MessageError('origin must be an http(s) origin such as http://127.0.0.1:3000');
  return text;
}

/** A match pattern exactly as originToMatchPattern makes it: one http(s) host, every path. */
function pattern(value: unknown): string {
  const text = string(value, 'pattern', 300, { min: 1 });
  let normal: string;
  try { normal = originToMatchPattern(text); } catch (error) { throw new MessageError((error as Error).message); }
  if (normal !== text) throw new MessageError(`pattern must look like ${normal}`);
  return text;
}

export const ORIGINS_VALIDATORS: Validators<OriginsApi> = {
  'origins.list': emptyRequest,
  'origins.enable': (p) => ({ pattern: pattern(object(p, 'payload').pattern) }),
  'origins.disable': (p) => ({ pattern: pattern(object(p, 'payload').pattern) }),
  'origins.isConfirmed': (p) => ({ origin: origin(object(p, 'payload').origin) }),
  'origins.confirm': (p) => ({ origin: origin(object(p, 'payload').origin) }),
};
