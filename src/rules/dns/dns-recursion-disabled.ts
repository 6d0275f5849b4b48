import { setDnsServerSetting } from '../../fix/ops.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { DNS_COMMANDS } from '../lib/dns.js';

export const dnsRecursionDisabled = defineRule({
  id: 'dns-recursion-disabled',
  title: 'DNS recursion is off on an authoritative server',
  failureTitle: 'DNS server answers recursive queries',
  severity: 'high',
  area: 'dns',
  rationale:
    'A server that resolves any name for any client is an open resolver: it can be used to amplify denial-of-service traffic and its cache can be poisoned by the queries an attacker makes it send. A server that only publishes its own zones (the Internet-facing case in seed 003) needs no recursion. A domain controller\'s DNS usually resolves for its clients; there the question is whether it is reachable from outside, which only a person (or the outside probe) can tell.',
  remediation: 'Disable recursion on authoritative servers (Set-DnsServerRecursion -Enable $false, or dnscmd /Config /NoRecursion 1); on internal resolvers, make sure they are not reachable from the Internet.',
  references: [
    'https://learn.microsoft.com/en-us/powershell/module/dnsserver/set-dnsserverrecursion',
    'https://learn.microsoft.com/en-us/windows-server/networking/dns/deploy/dns-sb-with-ad',
  ],
  roles: ['dnsServer'],
  requires: ['dns'],
  evaluate({ dns }, ctx) {
    const r = dns.recursionEnabled;
    if (!r) return manual('The recursion setting is not in the bundle.', [DNS_COMMANDS.recursion, DNS_COMMANDS.info], []);
    const item = { label: 'recursion', value: r.value ? 'enabled' : 'disabled', source: r.source };
    if (!r.value) return pass('Recursion is disabled.', [item]);
    const dc = ctx.roles.domainController;
    if (dc.present === true) {
      return manual('Recursion is enabled on a domain controller, which usually resolves for its clients; confirm it cannot be queried from the Internet.', ['nslookup -recurse www.example.com <public address of this server>  (from outside)'], [item, { label: 'domain controller', value: dc.reason, ...(dc.source ? { source: dc.source } : {}) }]);
    }
    return fail('Recursion is enabled on a server that is not a domain controller.', [item], [
      setDnsServerSetting({ setting: 'NoRecursion', value: 1, reason: 'An authoritative server must not resolve names for arbitrary clients.' }),
    ]);
  },
});
