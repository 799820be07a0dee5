import { PROTOCOL_VERSION } from '@troupe/shared/protocol';

/** What /healthz reports; clients compare `protocol` before they connect. */
export const SERVER_INFO = { name: 'troupe-sync-server', version: '0.1.0', protocol: PROTOCOL_VERSION } as const;
