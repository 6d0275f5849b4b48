// The static list of identifiers. Windows-protocol identifiers live in catalog-windows.ts,
// the other services' in catalog-services.ts (one file each so both grow independently).
import type { IdentifierCatalog } from '../identify.js';
import { WINDOWS_ACTIVE, WINDOWS_GREETINGS, TLS_IDENTIFIER } from './catalog-windows.js';
import { SERVICE_ACTIVE, SERVICE_GREETINGS } from './catalog-services.js';

export const IDENTIFIERS: IdentifierCatalog = {
  greetings: [...WINDOWS_GREETINGS, ...SERVICE_GREETINGS],
  active: [...WINDOWS_ACTIVE, ...SERVICE_ACTIVE],
  ...(TLS_IDENTIFIER ? { tls: TLS_IDENTIFIER } : {}),
};
