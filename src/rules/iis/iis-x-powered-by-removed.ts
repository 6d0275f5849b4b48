import { manualStep } from '../../fix/ops.js';
import { defineRule } from '../define.js';
import { element, itemSource, itemValue, judgeScopes } from '../lib/iis.js';

export const iisXPoweredByRemoved = defineRule({
  id: 'iis-x-powered-by-removed',
  title: 'Responses carry no X-Powered-By header',
  failureTitle: 'Responses carry an X-Powered-By header',
  severity: 'low',
  area: 'iis',
  rationale:
    'IIS adds "X-Powered-By: ASP.NET" through the customHeaders collection of applicationHost.config. It tells every client which framework runs behind the site and serves no browser purpose. Replacing it with a fake value still sends the header and still marks the server as IIS, so only removal passes.',
  remediation: 'Remove X-Powered-By from system.webServer/httpProtocol/customHeaders at server level (and from any web.config that re-adds it).',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/httpprotocol/customheaders/', 'CIS Microsoft IIS 10 Benchmark 3.11 (Ensure X-Powered-By Header is removed)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeScopes(state, 'X-Powered-By header', (info) => {
      const headers = element(info, 'system.webServer/httpProtocol/customHeaders');
      const xpb = headers?.items.find((i) => itemValue(i, 'name')?.toLowerCase() === 'x-powered-by');
      if (!xpb) {
        const item = headers?.cleared ? { label: `${info.label}: customHeaders`, value: 'cleared, no X-Powered-By', source: headers.cleared } : { label: `${info.label}: customHeaders`, value: 'no X-Powered-By' };
        return { ok: true, note: 'not sent', items: [item], fix: [] };
      }
      const value = itemValue(xpb, 'value') ?? '';
      return {
        ok: false,
        note: `X-Powered-By: ${value}`,
        items: [{ label: `${info.label}: customHeaders X-Powered-By`, value, source: itemSource(xpb) }],
        fix: [manualStep(`Remove the X-Powered-By header for ${info.label}.`, [`%windir%\\system32\\inetsrv\\appcmd.exe set config "${info.location ?? ''}" -section:system.webServer/httpProtocol /-"customHeaders.[name='X-Powered-By']"`])],
      };
    });
  },
});
