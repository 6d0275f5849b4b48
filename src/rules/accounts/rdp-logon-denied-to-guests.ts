import { setPrivilegeRight } from '../../fix/ops.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { hasPrincipal, privilegeRight } from '../lib/secpol.js';

export const rdpLogonDeniedToGuests = defineRule({
  id: 'rdp-logon-denied-to-guests',
  title: 'Guests are denied Remote Desktop logons',
  failureTitle: 'Guests are not denied Remote Desktop logons',
  severity: 'medium',
  area: 'accounts',
  rationale:
    'A deny right wins over every allow right. Putting Guests in "Deny log on through Remote Desktop Services" guarantees that the guest account, or any account someone adds to Guests, can never open an RDP session, whatever else is granted later.',
  remediation: 'Add Guests (*S-1-5-32-546) to SeDenyRemoteInteractiveLogonRight; member servers should also deny "Local account" (*S-1-5-113).',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/deny-log-on-through-remote-desktop-services', 'CIS Microsoft Windows Server 2022 Benchmark 2.2.26/2.2.27 (Deny log on through Remote Desktop Services)'],
  requires: ['securityPolicy'],
  evaluate(state) {
    const r = privilegeRight(state, 'SeDenyRemoteInteractiveLogonRight');
    if (!r) return manual('The user rights were not exported.', ['secedit /export /cfg secpol.inf /areas USER_RIGHTS'], []);
    if (hasPrincipal(r.principals, '*S-1-5-32-546')) return pass('Guests are denied Remote Desktop logons.', [r.item]);
    return fail('Guests are not in "Deny log on through Remote Desktop Services".', [r.item], [
      setPrivilegeRight({ right: 'SeDenyRemoteInteractiveLogonRight', mode: 'add', principals: ['*S-1-5-32-546'], reason: 'Guests must never open a Remote Desktop session.' }),
    ]);
  },
});
