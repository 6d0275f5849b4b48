import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const iisDirectoryBrowsingDisabled = defineRule({
  id: 'iis-directory-browsing-disabled',
  title: 'Directory browsing is off',
  failureTitle: 'Directory browsing is on',
  severity: 'medium',
  area: 'iis',
  rationale:
    'With directory browsing on, any folder without a default document answers with a list of its files: backups, old versions, configuration fragments and anything else that was copied there. Attackers crawl these listings first.',
  remediation:
    'Set system.webServer/directoryBrowse/@enabled to false at server level and remove any site or web.config override.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/directorybrowse', 'CIS Microsoft IIS 10 Benchmark 1.3 (Ensure directory browsing is set to disabled)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.webServer/directoryBrowse',
      element: '',
      attribute: 'enabled',
      ok: (v) => v.toLowerCase() !== 'true',
      expected: 'false',
      want: false,
      what: 'Directory browsing',
      reason: 'Automatic folder listings reveal files that were never linked.',
    });
  },
});
