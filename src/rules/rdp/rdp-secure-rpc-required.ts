import { defineRule } from '../define.js';
import { judgeRdp } from '../lib/rdp.js';

export const rdpSecureRpcRequired = defineRule({
  id: 'rdp-secure-rpc-required',
  title: 'RDP requires secure RPC communication',
  failureTitle: 'RDP does not require secure RPC communication',
  severity: 'medium',
  area: 'rdp',
  rationale:
    'The Remote Desktop Session Host also takes RPC calls (for session management). Unless the policy requires secure RPC, it accepts unauthenticated, unencrypted RPC from clients that ask for it. Seed 003 turns the requirement on.',
  remediation:
    'Enable "Require secure RPC communication" (policy fEncryptRPCTraffic = 1).',
  references: ['https://learn.microsoft.com/en-us/windows/client-management/mdm/policy-csp-remotedesktopservices', 'CIS Microsoft Windows Server 2022 Benchmark 18.10.57.3.9.2 (Require secure RPC communication)'],
  roles: ['rdpEnabled'],
  requires: [],
  evaluate(state) {
    return judgeRdp(state, {
      name: 'fEncryptRPCTraffic',
      expected: '1 (secure RPC required)',
      ok: (v) => v === 1,
      want: 1,
      what: 'RDP secure RPC',
      reason: 'Unencrypted RPC to the Remote Desktop service can be read or altered.',
      policyOnly: true,
      absentDefault: { value: 0, note: 'not configured: unsecured RPC is accepted' },
    });
  },
});
