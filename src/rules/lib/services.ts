// "This service should not run here": the shared judgement for the §2 service rules.
import type { EvidenceItem } from '../../core/finding.js';
import { disableService, type FixOp } from '../../fix/ops.js';
import { effectiveService, lowerCase } from '../../host/effective.js';
import type { HostState } from '../../host/state.js';
import { fail, manual, nonEmpty, pass, type Outcome } from '../define.js';

export interface ServiceCheck {
  /** Short names; any of them counts (e.g. the IIS 6 and IIS 7+ FTP services). */
  names: readonly string[];
  /** Human name, e.g. "the SMTP service". */
  what: string;
  /** Why the fix disables it (one sentence for the script comment). */
  reason: string;
}

/**
 * Passes when every named service is absent from a complete service list or is disabled.
 * Running or startable (auto/manual) fails, with a disable operation that carries the known
 * dependents so the rendered script can refuse to break them (seed 002 insists on this check).
 */
export function judgeServicesDisabled(state: HostState, c: ServiceCheck): Outcome {
  const items: EvidenceItem[] = [];
  const fixes: FixOp[] = [];
  const bad: string[] = [];
  let unknown = false;
  for (const name of c.names) {
    const s = effectiveService(state, name);
    if (s.exists === false) {
      items.push({ label: `service ${name}`, value: 'not installed (absent from the service list)' });
      continue;
    }
    if (s.exists === 'unknown') {
      unknown = true;
      continue;
    }
    const start = s.startType?.value ?? 'unknown';
    const run = s.state?.value ?? 'unknown';
    const listed = state.services?.services[lowerCase(name)];
    const src = s.startType?.source ?? s.state?.source ?? listed?.source;
    const label = `service ${s.name}`;
    const value = `start type ${start}, ${run}${s.policyStartType ? ' (start type set by the security template)' : ''}`;
    items.push(src ? { label, value, source: src } : { label, value });
    if (start === 'disabled' && run !== 'running') continue;
    bad.push(s.name);
    const deps = listed?.dependents;
    if (deps) items.push({ label: `${s.name} dependents`, value: deps.value.length ? deps.value.join(', ') : 'none', source: deps.source });
    fixes.push(
      disableService({
        service: s.name,
        ...(listed?.displayName ? { displayName: listed.displayName } : {}),
        dependentsToCheck: deps?.value ?? [],
        stop: run !== 'stopped',
        reason: c.reason,
      }),
    );
  }
  if (bad.length > 0 && nonEmpty(items) && nonEmpty(fixes)) {
    return fail(`${c.what} is installed and not disabled (${bad.join(', ')}).`, items, fixes);
  }
  if (unknown) {
    return manual(`Cannot tell whether ${c.what} is installed: no service list was collected.`, [
      `sc queryex ${c.names[0]}`,
      `Get-Service ${c.names.join(',')} -ErrorAction SilentlyContinue | Select-Object Name,Status,StartType,DependentServices`,
    ], items);
  }
  return pass(`${c.what} is not installed or is disabled.`, items);
}
