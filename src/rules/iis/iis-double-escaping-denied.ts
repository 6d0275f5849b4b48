import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const iisDoubleEscapingDenied = defineRule({
  id: 'iis-double-escaping-denied',
  title: 'Double-escaped URLs are rejected',
  failureTitle: 'Double-escaped URLs are accepted',
  severity: 'medium',
  area: 'iis',
  rationale:
    'A URL that is still escaped after one round of decoding (%252e%252e for ..) can slip past filters that look at the first decoding and then be decoded again by the application. Request filtering rejects such URLs unless allowDoubleEscaping is true.',
  remediation:
    'Set requestFiltering/@allowDoubleEscaping to false.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/', 'CIS Microsoft IIS 10 Benchmark 4.5 (Ensure double-encoded requests will be rejected)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.webServer/security/requestFiltering',
      element: '',
      attribute: 'allowDoubleEscaping',
      ok: (v) => v.toLowerCase() !== 'true',
      expected: 'false',
      want: false,
      what: 'Double escaping',
      reason: 'Double-encoded URLs are a classic way around path and filter checks.',
    });
  },
});
