// The static, type-checked probe catalog. Windows-protocol probes in catalog-windows.ts,
// the other services' in catalog-services.ts.
import type { ProbeDefinition } from './define.js';
import { WINDOWS_PROBES } from './catalog-windows.js';
import { SERVICE_PROBES } from './catalog-services.js';

export const PROBES: readonly ProbeDefinition[] = [...WINDOWS_PROBES, ...SERVICE_PROBES];
