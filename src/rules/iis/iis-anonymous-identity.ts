import { iisSetConfig } from '../../fix/ops.js';
import { defineRule } from '../define.js';
import { attrItem, isTrue, judgeScopes, scopeFix, setting } from '../lib/iis.js';

const SECTION = 'system.webServer/security/authentication/anonymousAuthentication';
/** Names that must never serve anonymous requests. */
const PRIVILEGED = /^(administrator|admin|system|localsystem|.*\\administrator)$/i;

export const iisAnonymousIdentity = defineRule({
  id: 'iis-anonymous-identity',
  title: 'Anonymous requests run as the application pool identity',
  failureTitle: 'Anonymous requests run as a shared or privileged account',
  severity: 'medium',
  area: 'iis',
  rationale:
    'Anonymous requests execute under the account named in anonymousAuthentication/@userName. The built-in IUSR is shared by every site on the server, so one site\'s content is readable by another site\'s code; an administrative account would hand every visitor its rights. Leaving userName empty makes anonymous requests use the site\'s own application pool identity, which isolates sites. Seed 000 renamed IUSR for the same reason on IIS 6.',
  remediation: 'Set anonymousAuthentication/@userName to an empty string (use the application pool identity) and grant each pool identity read access to its own content only.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/authentication/anonymousauthentication', 'CIS Microsoft IIS 10 Benchmark 1.6 (Ensure application pool identity is configured for anonymous user identity)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeScopes(state, 'Anonymous identity', (info) => {
      const enabled = setting(info, SECTION, 'enabled');
      const user = setting(info, SECTION, 'userName');
      const items = [attrItem(info, 'anonymousAuthentication@enabled', enabled), attrItem(info, 'anonymousAuthentication@userName', user)];
      if (!isTrue(enabled?.value)) return { ok: true, note: 'anonymous access is off', items, fix: [] };
      const name = user?.value ?? '';
      if (name === '') return { ok: true, note: 'application pool identity', items, fix: [] };
      const fix = [scopeFix(info, (location) => iisSetConfig({ section: SECTION, element: '', attribute: 'userName', value: '', location, reason: 'Anonymous requests should run as the site\'s own pool identity.' }), 'set anonymousAuthentication/@userName to ""')];
      if (PRIVILEGED.test(name)) return { ok: false, note: `anonymous requests run as the privileged account ${name}`, items, fix };
      return { ok: false, note: `anonymous requests run as the shared account ${name}`, items, fix };
    });
  },
});
