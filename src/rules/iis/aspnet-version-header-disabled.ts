import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const aspnetVersionHeaderDisabled = defineRule({
  id: 'aspnet-version-header-disabled',
  title: 'ASP.NET does not send its version header',
  failureTitle: 'ASP.NET announces its version (X-AspNet-Version)',
  severity: 'low',
  area: 'iis',
  rationale:
    'ASP.NET adds X-AspNet-Version to every response by default, telling an attacker which framework version (and so which known bugs) to target. Nothing in the browser uses it.',
  remediation:
    'Set system.web/httpRuntime/@enableVersionHeader to false.',
  references: ['https://learn.microsoft.com/en-us/dotnet/api/system.web.configuration.httpruntimesection.enableversionheader', 'CIS Microsoft IIS 10 Benchmark 3.11 (Ensure X-Powered-By and version headers are removed)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.web/httpRuntime',
      element: '',
      attribute: 'enableVersionHeader',
      ok: (v) => v.toLowerCase() === 'false',
      expected: 'false',
      want: false,
      what: 'X-AspNet-Version header',
      reason: 'The X-AspNet-Version header gives away the framework version.',
    });
  },
});
