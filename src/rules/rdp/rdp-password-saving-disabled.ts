import { defineRule } from '../define.js';
import { judgeRdp } from '../lib/rdp.js';

export const rdpPasswordSavingDisabled = defineRule({
  id: 'rdp-password-saving-disabled',
  title: 'RDP clients may not save passwords',
  failureTitle: 'RDP clients may save passwords',
  severity: 'low',
  area: 'rdp',
  rationale:
    'The "Do not allow passwords to be saved" policy removes the "remember me" option from Remote Desktop clients that run under this policy (including admins connecting from this server onward), so credentials for servers are not left in credential stores where malware collects them.',
  remediation:
    'Enable "Do not allow passwords to be saved" (DisablePasswordSaving = 1).',
  references: ['https://learn.microsoft.com/en-us/windows/client-management/mdm/policy-csp-remotedesktopservices', 'CIS Microsoft Windows Server 2022 Benchmark 18.10.57.2.2 (Do not allow passwords to be saved)'],
  roles: ['rdpEnabled'],
  requires: [],
  evaluate(state) {
    return judgeRdp(state, {
      name: 'DisablePasswordSaving',
      expected: '1 (saving disabled)',
      ok: (v) => v === 1,
      want: 1,
      what: 'RDP password saving',
      reason: 'Saved RDP passwords end up in client credential stores that malware harvests.',
      policyOnly: true,
      absentDefault: { value: 0, note: 'not configured: clients may save passwords' },
    });
  },
});
