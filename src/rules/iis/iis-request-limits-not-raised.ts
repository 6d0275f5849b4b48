import { iisSetConfig } from '../../fix/ops.js';
import { defineRule } from '../define.js';
import { attrItem, judgeScopes, scopeFix, setting } from '../lib/iis.js';

const LIMITS = 'system.webServer/security/requestFiltering/requestLimits';
/** The IIS defaults: request body 30,000,000 bytes, URL 4096, query string 2048. */
const DEFAULTS: Record<string, number> = { maxAllowedContentLength: 30_000_000, maxUrl: 4096, maxQueryString: 2048 };

export const iisRequestLimitsNotRaised = defineRule({
  id: 'iis-request-limits-not-raised',
  title: 'Request size limits are at or below the IIS defaults',
  failureTitle: 'Request size limits are raised above the IIS defaults',
  severity: 'low',
  area: 'iis',
  rationale:
    'Request filtering caps the size of the body, the URL and the query string. The defaults are already generous; raising them (often to make one upload work) lets every URL of the site accept huge requests, which helps denial of service and buffer-handling attacks. Limits above the defaults should be set only where they are needed, on that path, and reviewed.',
  remediation:
    'Bring maxAllowedContentLength, maxUrl and maxQueryString back to the defaults or lower at server and site level, and raise them only under a <location> for the path that needs it.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/requestlimits/', 'CIS Microsoft IIS 10 Benchmark 4.1-4.3 (maxAllowedContentLength, maxURL, MaxQueryString configured)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeScopes(state, 'Request limits', (info) => {
      const items = [];
      const fix = [];
      const raised: string[] = [];
      for (const [attr, def] of Object.entries(DEFAULTS)) {
        const s = setting(info, LIMITS, attr);
        items.push(attrItem(info, `requestLimits@${attr}`, s));
        const v = s ? Number(s.value) : def;
        if (Number.isFinite(v) && v > def) {
          raised.push(`${attr}=${v}`);
          fix.push(scopeFix(info, (location) => iisSetConfig({ section: 'system.webServer/security/requestFiltering', element: 'requestLimits', attribute: attr, value: def, location, reason: `Keep ${attr} at the IIS default unless one path needs more.` }), `set requestLimits/@${attr} to ${def}`));
        }
      }
      if (raised.length === 0) return { ok: true, note: 'limits at or below defaults', items, fix };
      return { ok: false, note: `raised: ${raised.join(', ')}`, items, fix };
    });
  },
});
