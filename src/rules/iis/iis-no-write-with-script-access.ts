import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const iisNoWriteWithScriptAccess = defineRule({
  id: 'iis-no-write-with-script-access',
  title: 'Handlers never combine Write with Script or Execute',
  failureTitle: 'Handler access policy allows Write together with Script or Execute',
  severity: 'high',
  area: 'iis',
  rationale:
    'The handlers accessPolicy decides what the server may do with content. When Write is allowed together with Script or Execute, a file written through the server can be executed by the next request: upload a page, then run it. Seed 000 forbids write permission on content for this reason.',
  remediation:
    'Remove Write from system.webServer/handlers/@accessPolicy (keep Read, Script).',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/handlers/', 'CIS Microsoft IIS 10 Benchmark 4.8 (Ensure Handler is not granted Write and Script/Execute)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.webServer/handlers',
      element: '',
      attribute: 'accessPolicy',
      ok: (v) => { const f = v.toLowerCase().split(/[\s,]+/); return !(f.includes('write') && (f.includes('script') || f.includes('execute'))); },
      expected: 'no Write with Script/Execute',
      want: 'Read, Script',
      what: 'Handler access policy',
      reason: 'Write plus Script lets an uploaded file run as code.',
    });
  },
});
