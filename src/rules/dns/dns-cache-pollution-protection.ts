import { setDnsServerSetting } from '../../fix/ops.js';
import { defineRule, fail, pass } from '../define.js';

export const dnsCachePollutionProtection = defineRule({
  id: 'dns-cache-pollution-protection',
  title: 'DNS cache pollution protection is on',
  failureTitle: 'DNS cache pollution protection is off',
  severity: 'medium',
  area: 'dns',
  rationale:
    'With pollution protection (SecureResponses), the server caches only records that belong to the domain it asked about, ignoring extra records a malicious or broken server slips into an answer. Seed 003 calls this the easy one: it is on by default and only needs to stay on.',
  remediation: 'Turn cache pollution protection back on: dnscmd /Config /SecureResponses 1 (or Set-DnsServerCache -PollutionProtection $true).',
  references: [
    'https://learn.microsoft.com/en-us/powershell/module/dnsserver/set-dnsservercache',
    'https://learn.microsoft.com/en-us/windows-server/networking/dns/deploy/dns-sb-with-ad',
  ],
  roles: ['dnsServer'],
  requires: ['dns'],
  evaluate({ dns }) {
    const s = dns.secureResponses;
    if (!s) return pass('SecureResponses is not set in the bundle; the Windows DNS default is on.', [{ label: 'SecureResponses', value: 'not set → default 1 (on)' }]);
    const item = { label: 'SecureResponses', value: s.value ? 'on' : 'off', source: s.source };
    if (s.value) return pass('Cache pollution protection is on.', [item]);
    return fail('Cache pollution protection is off.', [item], [setDnsServerSetting({ setting: 'SecureResponses', value: 1, reason: 'The cache must only keep records from the domain that was asked.' })]);
  },
});
