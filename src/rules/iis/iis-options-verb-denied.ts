import { iisDenyVerb } from '../../fix/ops.js';
import { defineRule } from '../define.js';
import { judgeScopes, scopeFix, verbDenied } from '../lib/iis.js';

export const iisOptionsVerbDenied = defineRule({
  id: 'iis-options-verb-denied',
  title: 'OPTIONS requests are denied',
  failureTitle: 'OPTIONS requests are not denied',
  severity: 'low',
  area: 'iis',
  rationale:
    'OPTIONS lists the methods a URL supports, which is a free reconnaissance step (does this server take PUT? WebDAV?). Seed 003 denies it in request filtering. Sites that answer CORS preflight requests do need OPTIONS and should waive this rule with that reason.',
  remediation:
    'Add <add verb="OPTIONS" allowed="false" /> to system.webServer/security/requestFiltering/verbs at server level (or switch to allowUnlisted="false" with an allow-list of the verbs the sites use), and remove any override that allows it again.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/verbs/', 'https://learn.microsoft.com/en-us/iis/manage/configuring-security/use-request-filtering'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeScopes(state, 'OPTIONS requests', (info) => {
      const v = verbDenied(info, 'OPTIONS');
      if (v.denied) return { ok: true, note: 'OPTIONS denied', items: [v.item], fix: [] };
      return {
        ok: false,
        note: 'OPTIONS is not denied by request filtering',
        items: [v.item],
        fix: [scopeFix(info, (location) => iisDenyVerb({ verb: 'OPTIONS', location, reason: 'OPTIONS is not needed to serve the site.' }), 'deny the OPTIONS verb in requestFiltering/verbs')],
      };
    });
  },
});
