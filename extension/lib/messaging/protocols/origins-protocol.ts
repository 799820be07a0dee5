/** Runtime messages about the sites Troupe's NextChat overlay runs on. */
import { originToMatchPattern } from '../../origins/origins.ts';
import { MessageError, object, string } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';

export interface OriginsApi {
  'origins.list': { req: Record<string, never>; res: string[] };
  'origins.enable': { req: { pattern: string }; res: string[] };
  'origins.disable': { req: { pattern: string }; res: string[] };
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
};
