// RDP settings live in the Group Policy key and in the RDP-Tcp listener key; the policy wins.
// Every verdict reports the value in force and which key decided it.
import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, setRegistryValue, type FixOp } from '../../fix/ops.js';
import { effectiveRdpSetting, RDP_LISTENER_KEY, RDP_POLICY_KEY, registryNumber, type RegistryLookup } from '../../host/effective.js';
import type { HostState } from '../../host/state.js';
import { fail, manual, pass, type NonEmpty, type Outcome } from '../define.js';
import { regQuery } from './settings.js';

export interface RdpCheck {
  name: string;
  expected: string;
  ok(v: number): boolean;
  want: number;
  what: string;
  reason: string;
  /** The setting exists only as a policy (no listener equivalent). */
  policyOnly?: boolean;
  /** Windows' documented behaviour when neither key holds the value. */
  absentDefault?: { value: number; note: string };
}

function lookupText(l: RegistryLookup): string {
  switch (l.status) {
    case 'set':
      return `${registryNumber(l) ?? JSON.stringify(l.data.value)}`;
    case 'deleted':
      return 'deleted by the artifact';
    case 'absent':
      return 'not set';
    case 'not-collected':
      return 'not collected';
  }
}

function lookupItem(label: string, l: RegistryLookup): EvidenceItem {
  const src = l.status === 'set' || l.status === 'deleted' ? l.source : l.status === 'absent' ? l.coveredBy : undefined;
  return src ? { label, value: lookupText(l), source: src } : { label, value: lookupText(l) };
}

export function judgeRdp(state: HostState, c: RdpCheck): Outcome {
  const eff = effectiveRdpSetting(state, c.name);
  const label = `effective ${c.name}`;
  const shown = eff.value !== undefined ? `${eff.value} (decided by the ${eff.decidedBy === 'policy' ? 'Group Policy key' : 'RDP-Tcp listener key'})` : eff.decidedBy === 'absent' ? 'set in neither key' : 'not collected';
  const items: [EvidenceItem, ...EvidenceItem[]] = [
    eff.source ? { label, value: shown, source: eff.source } : { label, value: shown },
    lookupItem(`policy ${RDP_POLICY_KEY}\\${c.name}`, eff.policy),
  ];
  if (!c.policyOnly) items.push(lookupItem(`listener ${RDP_LISTENER_KEY}\\${c.name}`, eff.listener));
  const viaPolicy = c.policyOnly || eff.decidedBy === 'policy';
  // Built only for a failure (most hosts pass).
  const fix = (): NonEmpty<FixOp> =>
    viaPolicy
      ? [
          setRegistryValue({ key: RDP_POLICY_KEY, name: c.name, kind: 'REG_DWORD', value: c.want, reason: c.reason }),
          manualStep(`If a domain GPO sets ${c.name}, change it in that GPO; a local change is overwritten at the next policy refresh.`, ['gpresult /h gpresult.html']),
        ]
      : [setRegistryValue({ key: RDP_LISTENER_KEY, name: c.name, kind: 'REG_DWORD', value: c.want, reason: c.reason })];

  let value = eff.value;
  // A policy-only setting is decided by the policy key alone: the listener key is irrelevant.
  const policyValue = registryNumber(eff.policy);
  if (c.policyOnly) value = eff.policy.status === 'set' ? policyValue : undefined;
  const collected = c.policyOnly ? eff.policy.status !== 'not-collected' : eff.decidedBy !== 'not-collected';
  if (value === undefined) {
    if (!collected) return manual(`Cannot judge ${c.what}: the Terminal Services registry keys were not collected.`, [regQuery(RDP_POLICY_KEY, c.name), regQuery(RDP_LISTENER_KEY, c.name)], items);
    if (!c.absentDefault) return manual(`Cannot judge ${c.what}: ${c.name} is set in neither key and Windows' default is not documented.`, [regQuery(RDP_LISTENER_KEY, c.name)], items);
    value = c.absentDefault.value;
    items[0] = { label: `effective ${c.name}`, value: `${value} (not set; ${c.absentDefault.note})` };
  }
  const by = value === eff.value && eff.decidedBy === 'policy' ? 'the Group Policy key' : value === eff.value && eff.decidedBy === 'listener' ? 'the RDP-Tcp listener key' : 'the Windows default';
  if (c.ok(value)) return pass(`${c.what}: ${c.name} = ${value}, decided by ${by}.`, items);
  return fail(`${c.what}: ${c.name} = ${value}, decided by ${by}; expected ${c.expected}.`, items, fix());
}
