// Reading one setting for a rule, with the evidence that explains where it came from.
// Registry values can live in a .reg export (local), a Registry.pol (policy) and the secedit
// `[Registry Values]` section; the value in force is the registry's (policy over local), and the
// secedit export is used when the registry key was not collected.
import { DerivedCache } from '../../host/derived.js';
import type { EvidenceItem, Provenance } from '../../core/finding.js';
import { lowerCase, registryLookup, registryNumber, type RegistryLookup } from '../../host/effective.js';
import { COLLECT_COMMANDS, type HostSlice, type HostState, type RegistryData, type Sourced } from '../../host/state.js';
import { manual, type ManualOutcome } from '../define.js';

export interface SettingRead {
  /** `set`: a value was found; `absent`: the key was collected and the value is not there;
   *  `not-collected`: nothing in the bundle covers it. */
  status: 'set' | 'absent' | 'not-collected';
  /** Numbers for DWORDs (and digit strings), text for strings, lists for MULTI_SZ. */
  value?: number | string | string[];
  via: 'registry (local)' | 'policy' | 'secedit' | 'none';
  source?: Provenance;
  /** `HKLM\...\Name` as shown to people. */
  path: string;
}

function dataValue(d: RegistryData): number | string | string[] | undefined {
  switch (d.type) {
    case 'REG_DWORD':
    case 'REG_DWORD_BIG_ENDIAN':
      return d.value;
    case 'REG_QWORD':
      return typeof d.value === 'number' ? d.value : Number(d.value);
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
    case 'REG_LINK':
      return d.value;
    case 'REG_MULTI_SZ':
      return d.value;
    default:
      return undefined;
  }
}

/** secedit writes registry paths as `MACHINE\System\...`; its lookup key is the lower-cased path. */
function seceditKey(keyPath: string, name: string): string {
  return `${keyPath.replace(/^HKLM\\/i, 'MACHINE\\')}\\${name}`.toLowerCase();
}

// Several rules read the same values (LanmanServer, Lsa, Terminal Server); a lookup costs a few
// key-path canonicalisations per exported root, so results are kept per HostState object, by
// lower-case key path and then value name (memoised lower-casing: no string is built per call).
const readCache = new DerivedCache<HostState, Map<string, Map<string, SettingRead>>>();

export function readSetting(state: HostState, keyPath: string, name: string): SettingRead {
  let byKey = readCache.get(state);
  if (!byKey) readCache.set(state, (byKey = new Map()));
  const k = lowerCase(keyPath);
  let byName = byKey.get(k);
  if (!byName) byKey.set(k, (byName = new Map()));
  const n = lowerCase(name);
  let r = byName.get(n);
  if (!r) byName.set(n, (r = readSettingUncached(state, keyPath, name)));
  return r;
}

function readSettingUncached(state: HostState, keyPath: string, name: string): SettingRead {
  const path = `${keyPath}\\${name}`;
  const lk: RegistryLookup = registryLookup(state, keyPath, name);
  if (lk.status === 'set') {
    const n = registryNumber(lk);
    const v = n ?? dataValue(lk.data);
    const out: SettingRead = { status: 'set', via: lk.layer === 'policy' ? 'policy' : 'registry (local)', source: lk.source, path };
    if (v !== undefined) out.value = v;
    return out;
  }
  const sec = state.securityPolicy?.registryValues[seceditKey(keyPath, name)];
  if (sec) {
    const out: SettingRead = { status: 'set', via: 'secedit', source: sec.source, path };
    const v = sec.value.value;
    out.value = Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]).join(',') : (v as number | string | string[]);
    return out;
  }
  if (lk.status === 'absent') return { status: 'absent', via: 'none', source: lk.coveredBy, path };
  if (lk.status === 'deleted') return { status: 'absent', via: 'none', source: lk.source, path };
  return { status: 'not-collected', via: 'none', path };
}

export function settingNumber(s: SettingRead): number | undefined {
  if (typeof s.value === 'number') return s.value;
  if (typeof s.value === 'string' && /^\s*-?\d+\s*$/.test(s.value)) return Number(s.value);
  return undefined;
}

/** The evidence line for a setting, saying which source decided. */
export function settingItem(s: SettingRead, label = s.path): EvidenceItem {
  const value =
    s.status === 'set'
      ? `${Array.isArray(s.value) ? s.value.join('; ') : String(s.value ?? '(unreadable data)')} (from ${s.via})`
      : s.status === 'absent'
        ? 'not set (the key was collected; the value is absent)'
        : 'not collected';
  return s.source ? { label, value, source: s.source } : { label, value };
}

export function sourcedItem<T extends string | number | boolean>(label: string, s: Sourced<T> | undefined, fallback = 'not present'): EvidenceItem {
  return s ? { label, value: s.value, source: s.source } : { label, value: fallback };
}

/** `manual` naming the collect command for each missing slice. */
export function collectMore(what: string, slices: readonly HostSlice[], items: readonly EvidenceItem[] = []): ManualOutcome {
  return manual(
    `Cannot judge ${what}: the bundle does not hold it. Collect it and audit again.`,
    slices.map((s) => COLLECT_COMMANDS[s]),
    items,
  );
}

/** `reg query` that shows a value on the host, for manual verdicts. */
export function regQuery(keyPath: string, name: string): string {
  return `reg query "${keyPath}" /v ${name}`;
}
