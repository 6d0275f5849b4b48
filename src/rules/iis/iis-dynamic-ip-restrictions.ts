import { iisSetConfig, manualStep } from '../../fix/ops.js';
import { defineRule } from '../define.js';
import { attrItem, isTrue, judgeScopes, scopeFix, setting } from '../lib/iis.js';

const SECTION = 'system.webServer/security/dynamicIpSecurity';

export const iisDynamicIpRestrictions = defineRule({
  id: 'iis-dynamic-ip-restrictions',
  title: 'Dynamic IP restrictions throttle abusive clients',
  failureTitle: 'No dynamic IP restriction limits abusive clients',
  severity: 'medium',
  area: 'iis',
  rationale:
    'Dynamic IP Restrictions block a client address for a while when it opens too many concurrent connections or sends too many requests in a short time. That blunts password brute forcing, scraping and simple denial-of-service floods from a single source. Seed 003 turns it on; at least one of the two limits must be enabled.',
  remediation:
    'Install the IP and Domain Restrictions role service and enable dynamicIpSecurity denyByConcurrentRequests and/or denyByRequestRate with limits that fit the site\'s normal traffic.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/dynamicipsecurity/', 'CIS Microsoft IIS 10 Benchmark 4.11 (Ensure Dynamic IP Address Restrictions is enabled)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeScopes(state, 'Dynamic IP restrictions', (info) => {
      const conc = setting(info, `${SECTION}/denyByConcurrentRequests`, 'enabled');
      const rate = setting(info, `${SECTION}/denyByRequestRate`, 'enabled');
      const items = [attrItem(info, 'denyByConcurrentRequests@enabled', conc), attrItem(info, 'denyByRequestRate@enabled', rate)];
      if (isTrue(conc?.value) || isTrue(rate?.value)) return { ok: true, note: 'a limit is enabled', items, fix: [] };
      return {
        ok: false,
        note: 'neither concurrent-request nor request-rate limits are enabled',
        items,
        fix: [
          scopeFix(info, (location) => iisSetConfig({ section: SECTION, element: 'denyByRequestRate', attribute: 'enabled', value: true, location, reason: 'Throttle clients that flood the site with requests.' }), 'enable dynamicIpSecurity/denyByRequestRate'),
          manualStep('Tune maxRequests/requestIntervalInMilliseconds (and maxConcurrentRequests) to the site\'s normal peak before enabling in production.', []),
        ],
      };
    });
  },
});
