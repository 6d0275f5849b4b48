import { setPrivilegeRight } from '../../fix/ops.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { hasPrincipal, principalLabel, privilegeRight } from '../lib/secpol.js';

/** Groups too broad to be allowed Remote Desktop logons. */
const BROAD = ['*S-1-1-0', '*S-1-5-11', '*S-1-5-32-545', '*S-1-5-32-546', '*S-1-5-7'];

export const rdpLogonRightRestricted = defineRule({
  id: 'rdp-logon-right-restricted',
  title: 'Only named groups may log on through Remote Desktop',
  failureTitle: 'A broad group may log on through Remote Desktop',
  severity: 'high',
  area: 'accounts',
  rationale:
    'The user right "Allow log on through Remote Desktop Services" decides who may even try an RDP logon. Granted to Everyone, Users, Authenticated Users or Guests, it lets any account (a forgotten test user, a low-privilege service account) reach an interactive desktop on the server. Seed 003 limits it to a named group.',
  remediation: 'Grant SeRemoteInteractiveLogonRight only to Administrators and, if needed, Remote Desktop Users with named members.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/allow-log-on-through-remote-desktop-services', 'CIS Microsoft Windows Server 2022 Benchmark 2.2.8/2.2.9 (Allow log on through Remote Desktop Services)'],
  requires: ['securityPolicy'],
  evaluate(state) {
    const r = privilegeRight(state, 'SeRemoteInteractiveLogonRight');
    if (!r) return manual('The user rights were not exported.', ['secedit /export /cfg secpol.inf /areas USER_RIGHTS'], []);
    const broad = BROAD.filter((sid) => hasPrincipal(r.principals, sid));
    if (broad.length === 0) return pass(`Remote Desktop logons are limited to: ${r.principals.map(principalLabel).join(', ') || 'nobody'}.`, [r.item]);
    const keep = r.principals.filter((p) => !BROAD.some((sid) => hasPrincipal([p], sid)));
    return fail(`Remote Desktop logons are granted to ${broad.map(principalLabel).join(', ')}.`, [r.item], [
      setPrivilegeRight({ right: 'SeRemoteInteractiveLogonRight', mode: 'replace', principals: keep.length ? keep : ['*S-1-5-32-544', '*S-1-5-32-555'], reason: 'Only named groups may log on through Remote Desktop.' }),
    ]);
  },
});
