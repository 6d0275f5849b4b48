import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const aspnetTraceDisabled = defineRule({
  id: 'aspnet-trace-disabled',
  title: 'ASP.NET tracing is off',
  failureTitle: 'ASP.NET tracing is on',
  severity: 'medium',
  area: 'iis',
  rationale:
    'With ASP.NET tracing on, trace.axd records recent requests with their headers, cookies, form values and server variables. Even limited to local requests it is information nobody needs in production.',
  remediation:
    'Set system.web/trace/@enabled to false.',
  references: ['https://learn.microsoft.com/en-us/previous-versions/dotnet/netframework-4.0/6915t83k(v=vs.100)', 'CIS Microsoft IIS 10 Benchmark 3.5 (Ensure ASP.NET stack tracing is not enabled)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.web/trace',
      element: '',
      attribute: 'enabled',
      ok: (v) => v.toLowerCase() !== 'true',
      expected: 'false',
      want: false,
      what: 'ASP.NET tracing',
      reason: 'trace.axd shows request details, headers and session data.',
    });
  },
});
