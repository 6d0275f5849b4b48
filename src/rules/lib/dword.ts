// The common shape of a registry-value control: read the value (registry, Group Policy or secedit),
// fall back to the documented Windows default when it is absent, and compare.
import type { EvidenceItem } from '../../core/finding.js';
import { setRegistryValue, type FixOp } from '../../fix/ops.js';
import type { HostState } from '../../host/state.js';
import { fail, manual, pass, type NonEmpty, type Outcome } from '../define.js';
import { readSetting, regQuery, settingItem, settingNumber } from './settings.js';

export interface DwordCheck {
  key: string;
  name: string;
  /** The passing condition, in words: "1 (required)". */
  expected: string;
  ok(value: number): boolean;
  /** Windows' behaviour when the value is absent, if documented; otherwise an absent value is `manual`. */
  absentDefault?: { value: number; note: string };
  /** The value the fix writes. */
  want: number;
  /** What the setting means, for the summary ("SMB signing required"). */
  what: string;
  reason: string;
  /** Extra operations beyond the registry write (e.g. a reboot note). */
  extraFix?: readonly FixOp[];
}

export function dwordFix(c: Pick<DwordCheck, 'key' | 'name' | 'want' | 'reason'>): FixOp {
  return setRegistryValue({ key: c.key, name: c.name, kind: 'REG_DWORD', value: c.want, reason: c.reason });
}

export function judgeDword(state: HostState, c: DwordCheck, extraItems: readonly EvidenceItem[] = []): Outcome {
  const s = readSetting(state, c.key, c.name);
  // Built only for a failure: most checks pass, and a fix operation is a few object copies.
  const fix = (): NonEmpty<FixOp> => [dwordFix(c), ...(c.extraFix ?? [])];
  if (s.status === 'not-collected') {
    return manual(`Cannot judge ${c.what}: neither the registry key nor the security template holds ${c.name}.`, [regQuery(c.key, c.name)], [settingItem(s), ...extraItems]);
  }
  let value = settingNumber(s);
  let item = settingItem(s);
  if (s.status === 'absent') {
    if (!c.absentDefault) {
      return manual(`Cannot judge ${c.what}: ${c.name} is not set and Windows' default is not documented for this case.`, [regQuery(c.key, c.name)], [item, ...extraItems]);
    }
    value = c.absentDefault.value;
    item = { ...item, value: `not set → ${c.absentDefault.value} (${c.absentDefault.note})` };
  } else if (value === undefined) {
    return fail(`${c.what}: ${c.name} holds data that is not a number; expected ${c.expected}.`, [item, ...extraItems], fix());
  }
  if (c.ok(value)) return pass(`${c.what}: ${c.name} = ${value}, as required (${c.expected}).`, [item, ...extraItems]);
  return fail(`${c.what}: ${c.name} = ${value}${s.status === 'absent' ? ' by default' : ''}; expected ${c.expected}.`, [item, ...extraItems], fix());
}
