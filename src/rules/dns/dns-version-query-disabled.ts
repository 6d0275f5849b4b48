import { setDnsServerSetting } from '../../fix/ops.js';
import { defineRule, fail, pass } from '../define.js';

export const dnsVersionQueryDisabled = defineRule({
  id: 'dns-version-query-disabled',
  title: 'DNS server does not disclose its version',
  failureTitle: 'DNS server answers version queries',
  severity: 'low',
  area: 'dns',
  rationale:
    'EnableVersionQuery makes the server answer a CHAOS-class TXT query for version.bind with its build number, telling an attacker exactly which vulnerabilities to try. Nothing legitimate needs it.',
  remediation: 'Set EnableVersionQuery to 0: dnscmd /Config /EnableVersionQuery 0 (or Set-DnsServerSetting with EnableVersionQuery 0).',
  references: ['https://learn.microsoft.com/en-us/powershell/module/dnsserver/set-dnsserversetting', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/dnscmd'],
  roles: ['dnsServer'],
  requires: ['dns'],
  evaluate({ dns }) {
    const v = dns.enableVersionQuery;
    if (!v) return pass('EnableVersionQuery is not set in the bundle; the Windows DNS default (0) does not disclose the version.', [{ label: 'EnableVersionQuery', value: 'not set → default 0' }]);
    const item = { label: 'EnableVersionQuery', value: v.value, source: v.source };
    if (v.value === 0) return pass('Version queries are not answered.', [item]);
    return fail(`EnableVersionQuery = ${v.value}: the server tells anyone its version.`, [item], [setDnsServerSetting({ setting: 'EnableVersionQuery', value: 0, reason: 'The server must not disclose its build.' })]);
  },
});
