import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const iisServerHeaderRemoved = defineRule({
  id: 'iis-server-header-removed',
  title: 'IIS does not send a Server header',
  failureTitle: 'IIS announces itself in the Server header',
  severity: 'low',
  area: 'iis',
  rationale:
    'Every response carries Server: Microsoft-IIS/10.0 unless removed, which lets automated scanners pick their exploits without probing. IIS 10 (version 1709 and later) can drop the header with one attribute; older versions need a URL Rewrite outbound rule.',
  remediation:
    'Set requestFiltering/@removeServerHeader to true (IIS 10 1709+), or blank the header with an outbound rewrite rule on older IIS.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/', 'CIS Microsoft IIS 10 Benchmark 3.12 (Ensure Server Header is removed)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.webServer/security/requestFiltering',
      element: '',
      attribute: 'removeServerHeader',
      ok: (v) => v.toLowerCase() === 'true',
      expected: 'true',
      want: true,
      what: 'Server header',
      reason: 'The Server header tells scanners the exact IIS version.',
    });
  },
});
