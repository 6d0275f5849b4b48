import { defineRule } from '../define.js';
import { judgeRdp } from '../lib/rdp.js';

export const rdpNlaRequired = defineRule({
  id: 'rdp-nla-required',
  title: 'RDP requires Network Level Authentication',
  failureTitle: 'RDP does not require Network Level Authentication',
  severity: 'high',
  area: 'rdp',
  rationale:
    'Without NLA the server builds a full session and shows a logon screen to anyone who connects, spending resources and exposing pre-authentication code (BlueKeep was reachable this way). With NLA (CredSSP) the user proves who they are before any session exists.',
  remediation:
    'Enable "Require user authentication for remote connections by using Network Level Authentication" (UserAuthentication = 1).',
  references: ['https://learn.microsoft.com/en-us/windows/client-management/mdm/policy-csp-remotedesktopservices', 'CIS Microsoft Windows Server 2022 Benchmark 18.10.57.3.9.4 (Require user authentication by using NLA)'],
  roles: ['rdpEnabled'],
  requires: [],
  evaluate(state) {
    return judgeRdp(state, {
      name: 'UserAuthentication',
      expected: '1 (NLA required)',
      ok: (v) => v === 1,
      want: 1,
      what: 'RDP Network Level Authentication',
      reason: 'NLA authenticates the user before a session (and its logon screen) is created.',
    });
  },
});
