import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const aspnetCustomErrorsEnabled = defineRule({
  id: 'aspnet-custom-errors-enabled',
  title: 'ASP.NET custom errors are on for remote clients',
  failureTitle: 'ASP.NET custom errors are off',
  severity: 'medium',
  area: 'iis',
  rationale:
    'With customErrors mode Off, an unhandled exception returns the yellow ASP.NET error page with the exception, a stack trace and source lines to every visitor. That is a map of the application for an attacker.',
  remediation:
    'Set system.web/customErrors/@mode to RemoteOnly or On.',
  references: ['https://learn.microsoft.com/en-us/previous-versions/dotnet/netframework-4.0/h0hfz6fc(v=vs.100)', 'CIS Microsoft IIS 10 Benchmark 3.3 (Ensure custom error messages are not off)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.web/customErrors',
      element: '',
      attribute: 'mode',
      ok: (v) => v.toLowerCase() !== 'off',
      expected: 'On or RemoteOnly',
      want: 'RemoteOnly',
      what: 'ASP.NET custom errors',
      reason: 'ASP.NET error pages with customErrors Off show stack traces to anyone.',
    });
  },
});
