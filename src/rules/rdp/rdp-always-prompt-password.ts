import { defineRule } from '../define.js';
import { judgeRdp } from '../lib/rdp.js';

export const rdpAlwaysPromptPassword = defineRule({
  id: 'rdp-always-prompt-password',
  title: 'RDP always prompts for the password',
  failureTitle: 'RDP accepts saved client credentials without prompting',
  severity: 'medium',
  area: 'rdp',
  rationale:
    'When the server always asks for the password, credentials saved in a .rdp file or a client credential store are not enough: a stolen laptop or a copied .rdp file does not open a session on its own.',
  remediation:
    'Enable "Always prompt for password upon connection" (fPromptForPassword = 1).',
  references: ['https://learn.microsoft.com/en-us/windows/client-management/mdm/policy-csp-remotedesktopservices', 'CIS Microsoft Windows Server 2022 Benchmark 18.10.57.3.9.1 (Always prompt for password upon connection)'],
  roles: ['rdpEnabled'],
  requires: [],
  evaluate(state) {
    return judgeRdp(state, {
      name: 'fPromptForPassword',
      expected: '1 (always prompt)',
      ok: (v) => v === 1,
      want: 1,
      what: 'RDP password prompt',
      reason: 'A password saved in an RDP client should not be enough to log on.',
      absentDefault: { value: 0, note: 'Windows default: saved credentials accepted' },
    });
  },
});
