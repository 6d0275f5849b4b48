import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const iisDetailedErrorsHidden = defineRule({
  id: 'iis-detailed-errors-hidden',
  title: 'Detailed IIS errors are not sent to remote clients',
  failureTitle: 'Detailed IIS errors are sent to remote clients',
  severity: 'medium',
  area: 'iis',
  rationale:
    'The detailed IIS error page shows the physical path, the handler and module that failed, the logon method and configuration snippets. Remote visitors should get a custom page; details stay for local requests (DetailedLocalOnly, the default).',
  remediation:
    'Set httpErrors/@errorMode to Custom or DetailedLocalOnly.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/httperrors/', 'CIS Microsoft IIS 10 Benchmark 3.4 (Ensure IIS HTTP detailed errors are hidden from displaying remotely)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.webServer/httpErrors',
      element: '',
      attribute: 'errorMode',
      ok: (v) => v.toLowerCase() !== 'detailed',
      expected: 'Custom or DetailedLocalOnly',
      want: 'DetailedLocalOnly',
      what: 'IIS error mode',
      reason: 'Detailed error pages expose paths, modules and configuration.',
    });
  },
});
