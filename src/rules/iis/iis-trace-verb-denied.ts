import { iisDenyVerb } from '../../fix/ops.js';
import { defineRule } from '../define.js';
import { judgeScopes, scopeFix, verbDenied } from '../lib/iis.js';

export const iisTraceVerbDenied = defineRule({
  id: 'iis-trace-verb-denied',
  title: 'TRACE requests are denied',
  failureTitle: 'TRACE requests are not denied',
  severity: 'medium',
  area: 'iis',
  rationale:
    'TRACE echoes the request back to the client, headers included. Combined with a script injection it has been used to read cookies and authorization headers that scripts cannot otherwise see (cross-site tracing), and it tells an attacker what proxies add. No site needs it.',
  remediation:
    'Add <add verb="TRACE" allowed="false" /> to system.webServer/security/requestFiltering/verbs at server level (or switch to allowUnlisted="false" with an allow-list of the verbs the sites use), and remove any override that allows it again.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/verbs/', 'CIS Microsoft IIS 10 Benchmark 4.6 (Ensure HTTP Trace Method is disabled)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeScopes(state, 'TRACE requests', (info) => {
      const v = verbDenied(info, 'TRACE');
      if (v.denied) return { ok: true, note: 'TRACE denied', items: [v.item], fix: [] };
      return {
        ok: false,
        note: 'TRACE is not denied by request filtering',
        items: [v.item],
        fix: [scopeFix(info, (location) => iisDenyVerb({ verb: 'TRACE', location, reason: 'TRACE is not needed to serve the site.' }), 'deny the TRACE verb in requestFiltering/verbs')],
      };
    });
  },
});
