import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const aspnetDebugDisabled = defineRule({
  id: 'aspnet-debug-disabled',
  title: 'ASP.NET debug compilation is off',
  failureTitle: 'ASP.NET debug compilation is on',
  severity: 'medium',
  area: 'iis',
  rationale:
    'compilation debug="true" builds pages with debug symbols, disables timeouts and batching, and makes error pages include more source detail. It is meant for a developer\u2019s machine, never for a production server.',
  remediation:
    'Set system.web/compilation/@debug to false in every web.config.',
  references: ['https://learn.microsoft.com/en-us/previous-versions/dotnet/netframework-4.0/s10awwz0(v=vs.100)', 'CIS Microsoft IIS 10 Benchmark 3.2 (Ensure debug is turned off)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.web/compilation',
      element: '',
      attribute: 'debug',
      ok: (v) => v.toLowerCase() !== 'true',
      expected: 'false',
      want: false,
      what: 'ASP.NET debug compilation',
      reason: 'Debug builds leak detail and run slower.',
    });
  },
});
