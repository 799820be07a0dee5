/** Runtime messages about the sites Troupe runs on. */
import { emptyRequest, type Validators } from './define.ts';

export interface OriginsApi {
  'origins.list': { req: Record<string, never>; res: string[] };
  'origins.sync': { req: Record<string, never>; res: string[] };
}

export const ORIGINS_VALIDATORS: Validators<OriginsApi> = {
  'origins.list': emptyRequest,
  'origins.sync': emptyRequest,
};
