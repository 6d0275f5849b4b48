import type { EvidenceItem } from '../../core/finding.js';
import type { HostState } from '../../host/state.js';

const DAY = 86_400_000;

/** The moment the bundle describes: its collection time when the manifest says, else the audit's clock. */
export function referenceTime(state: HostState, now: Date): { at: Date; item: EvidenceItem } {
  const c = state.host.collectedAt;
  const t = c ? Date.parse(c.value) : NaN;
  if (c && Number.isFinite(t)) return { at: new Date(t), item: { label: 'collected at', value: c.value, source: c.source } };
  return { at: now, item: { label: 'audit time', value: now.toISOString() } };
}

export function daysBetween(fromIso: string, to: Date): number {
  return Math.floor((to.getTime() - Date.parse(fromIso)) / DAY);
}
