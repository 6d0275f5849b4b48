import { iisSetConfig } from '../../fix/ops.js';
import { defineRule } from '../define.js';
import { attrItem, judgeScopes, scopeFix, setting } from '../lib/iis.js';

export const iisSslRequired = defineRule({
  id: 'iis-ssl-required',
  title: 'Sites with HTTPS require it',
  failureTitle: 'A site with HTTPS still serves content over plain HTTP',
  severity: 'medium',
  area: 'iis',
  rationale:
    'An https binding alone does not stop the same pages, cookies and logins from being served over plain http on the other binding. Requiring SSL (access/@sslFlags contains Ssl) makes IIS refuse plain requests, so nothing sensitive travels unencrypted. A site that instead redirects http to https with URL Rewrite should waive this rule and say so.',
  remediation: 'Set system.webServer/security/access/@sslFlags to include Ssl for each listed site (or add an HTTP-to-HTTPS redirect and waive the rule).',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/access', 'https://learn.microsoft.com/en-us/iis/manage/configuring-security/how-to-set-up-ssl-on-iis'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeScopes(
      state,
      'SSL requirement',
      (info) => {
        const siteName = 'site' in info.scope ? info.scope.site : undefined;
        const site = siteName === undefined ? undefined : state.iis!.sites.find((s) => s.name === siteName);
        let https = false;
        let http = false;
        for (const b of site?.bindings ?? []) {
          const p = b.protocol.toLowerCase();
          if (p === 'https') https = true;
          else if (p === 'http') http = true;
        }
        const flags = setting(info, 'system.webServer/security/access', 'sslFlags');
        const items = [attrItem(info, 'access@sslFlags', flags)];
        if (!https) return { ok: true, note: 'no https binding (see iis-https-binding)', items, fix: [] };
        if (!http) return { ok: true, note: 'https only', items, fix: [] };
        const required = /(?:^|[\s,])ssl(?:$|[\s,])/i.test(flags?.value ?? '');
        if (required) return { ok: true, note: `sslFlags="${flags?.value}"`, items, fix: [] };
        return {
          ok: false,
          note: `http and https bindings, sslFlags="${flags?.value ?? ''}"`,
          items,
          fix: [scopeFix(info, (location) => iisSetConfig({ section: 'system.webServer/security/access', element: '', attribute: 'sslFlags', value: 'Ssl', location, reason: 'Plain-HTTP requests must be refused where HTTPS exists.' }), 'set access/@sslFlags to Ssl')],
        };
      },
      { sitesOnly: true },
    );
  },
});
