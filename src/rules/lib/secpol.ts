// secedit `[System Access]` and `[Privilege Rights]` helpers.
import type { EvidenceItem, Severity } from '../../core/finding.js';
import { setSecurityPolicy, type FixOp } from '../../fix/ops.js';
import { lowerCase } from '../../host/effective.js';
import type { HostState, SecurityPolicy } from '../../host/state.js';
import { fail, manual, pass, type Outcome } from '../define.js';

export interface SystemAccessCheck {
  /** INF key as secedit writes it, e.g. `MinimumPasswordLength`. */
  key: string;
  expected: string;
  /** `true` passes; a severity fails at that severity; `false` fails at the rule's severity. */
  judge(value: number): boolean | Severity;
  /** When secedit omits the key (it does for settings never defined), Windows' default. */
  absentDefault?: number;
  want: string;
  what: string;
  reason: string;
  extraFix?: readonly FixOp[];
}

export function judgeSystemAccess(sp: SecurityPolicy, c: SystemAccessCheck): Outcome {
  const e = sp.systemAccess[lowerCase(c.key)];
  const fix = (): [FixOp, ...FixOp[]] => [setSecurityPolicy({ section: 'System Access', key: c.key, value: c.want, reason: c.reason }), ...(c.extraFix ?? [])];
  let value: number;
  let item: EvidenceItem;
  if (!e) {
    if (c.absentDefault === undefined) {
      return manual(`${c.what}: ${c.key} is not in the security template export.`, ['secedit /export /cfg secpol.inf /areas SECURITYPOLICY'], [{ label: c.key, value: 'not in [System Access]' }]);
    }
    value = c.absentDefault;
    item = { label: c.key, value: `not in [System Access] → Windows default ${c.absentDefault}` };
  } else {
    const n = typeof e.value === 'number' ? e.value : Number(String(e.value).trim());
    item = { label: c.key, value: e.value, source: e.source };
    if (!Number.isFinite(n)) return fail(`${c.what}: ${c.key} = "${String(e.value)}" is not a number; expected ${c.expected}.`, [item], fix());
    value = n;
  }
  const verdict = c.judge(value);
  if (verdict === true) return pass(`${c.what}: ${c.key} = ${value} (${c.expected}).`, [item]);
  return fail(`${c.what}: ${c.key} = ${value}; expected ${c.expected}.`, [item], fix(), verdict === false ? undefined : verdict);
}

/** Well-known SIDs as secedit writes them, with the names people know. */
export const WELL_KNOWN: Record<string, string> = {
  '*S-1-1-0': 'Everyone',
  '*S-1-5-7': 'ANONYMOUS LOGON',
  '*S-1-5-11': 'Authenticated Users',
  '*S-1-5-4': 'INTERACTIVE',
  '*S-1-5-113': 'Local account',
  '*S-1-5-114': 'Local account and member of Administrators group',
  '*S-1-5-32-544': 'Administrators',
  '*S-1-5-32-545': 'Users',
  '*S-1-5-32-546': 'Guests',
  '*S-1-5-32-555': 'Remote Desktop Users',
};

const WELL_KNOWN_BY_SID = new Map(Object.entries(WELL_KNOWN));

export function principalLabel(p: string): string {
  // secedit writes SIDs in upper case already: try the string as it is before upper-casing a copy.
  const n = WELL_KNOWN_BY_SID.get(p) ?? WELL_KNOWN_BY_SID.get(p.toUpperCase());
  return n ? `${n} (${p})` : p;
}

/** Per SID: its English name and `builtin\name`, lower case, computed once. */
const PRINCIPAL_NAMES = new Map<string, { name: string | undefined; builtin: string }>();
function principalNames(sid: string): { name: string | undefined; builtin: string } {
  let n = PRINCIPAL_NAMES.get(sid);
  if (n === undefined) {
    const name = WELL_KNOWN[sid]?.toLowerCase();
    n = { name, builtin: `builtin\\${name}` };
    if (PRINCIPAL_NAMES.size < 1000) PRINCIPAL_NAMES.set(sid, n);
  }
  return n;
}

/** Does `principals` name the given well-known SID, by SID or by its English name? */
export function hasPrincipal(principals: readonly string[], sid: string): boolean {
  const { name, builtin } = principalNames(sid);
  for (const p of principals) {
    if (p.toUpperCase() === sid) return true;
    const lp = p.toLowerCase();
    if ((name !== undefined && lp === name) || lp === builtin) return true;
  }
  return false;
}

export function privilegeRight(state: HostState, right: string): { principals: string[]; item: EvidenceItem } | undefined {
  const sp = state.securityPolicy;
  if (!sp) return undefined;
  const e = sp.privilegeRights[lowerCase(right)] ?? Object.values(sp.privilegeRights).find((x) => x.name.toLowerCase() === right.toLowerCase());
  if (!e) return { principals: [], item: { label: right, value: 'not assigned to anyone (absent from [Privilege Rights])' } };
  return { principals: e.value, item: { label: right, value: e.value.map(principalLabel).join(', ') || '(nobody)', source: e.source } };
}
