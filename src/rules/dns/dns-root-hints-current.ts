import type { EvidenceItem } from '../../core/finding.js';
import { manualStep } from '../../fix/ops.js';
import { defineRule, fail, manual, notApplicable, pass } from '../define.js';
import { DNS_COMMANDS } from '../lib/dns.js';

/** The root servers and their addresses (IANA root hints; b.root moved in November 2023). */
const ROOTS: Record<string, readonly string[]> = {
  'a.root-servers.net': ['198.41.0.4', '2001:503:ba3e::2:30'],
  'b.root-servers.net': ['170.247.170.2', '2801:1b8:10::b'],
  'c.root-servers.net': ['192.33.4.12', '2001:500:2::c'],
  'd.root-servers.net': ['199.7.91.13', '2001:500:2d::d'],
  'e.root-servers.net': ['192.203.230.10', '2001:500:a8::e'],
  'f.root-servers.net': ['192.5.5.241', '2001:500:2f::f'],
  'g.root-servers.net': ['192.112.36.4', '2001:500:12::d0d'],
  'h.root-servers.net': ['198.97.190.53', '2001:500:1::53'],
  'i.root-servers.net': ['192.36.148.17', '2001:7fe::53'],
  'j.root-servers.net': ['192.58.128.30', '2001:503:c27::2:30'],
  'k.root-servers.net': ['193.0.14.129', '2001:7fd::1'],
  'l.root-servers.net': ['199.7.83.42', '2001:500:9f::42'],
  'm.root-servers.net': ['202.12.27.33', '2001:dc3::35'],
};

function norm(a: string): string {
  return a.trim().toLowerCase();
}

export const dnsRootHintsCurrent = defineRule({
  id: 'dns-root-hints-current',
  title: 'DNS root hints are current',
  failureTitle: 'DNS root hints are missing or out of date',
  severity: 'low',
  area: 'dns',
  rationale:
    'A recursive server starts every lookup at the root servers listed in its root hints. Stale hints (such as b.root\'s address before its 2023 move) make resolution slower and less robust, and an unknown entry may send queries to a server nobody vouches for. Only servers that recurse use the hints.',
  remediation: 'Refresh the root hints from IANA\'s named.root (DNS Manager → Root Hints → Copy from Server, or Import-DnsServerRootHint / Add-DnsServerRootHint and remove the stale entries).',
  references: ['https://www.iana.org/domains/root/files', 'https://learn.microsoft.com/en-us/powershell/module/dnsserver/get-dnsserverroothint'],
  roles: ['dnsServer'],
  requires: ['dns'],
  evaluate({ dns }) {
    if (dns.recursionEnabled && !dns.recursionEnabled.value) {
      return notApplicable('Recursion is disabled, so the root hints are never used.', [{ label: 'recursion', value: 'disabled', source: dns.recursionEnabled.source }]);
    }
    const hints = dns.rootHints;
    if (!hints) return manual('The root hints are not in the bundle.', [DNS_COMMANDS.rootHints], []);
    const items: EvidenceItem[] = [];
    const have = new Map(hints.value.map((h) => [norm(h.name).replace(/\.$/, ''), h.addresses.map(norm)]));
    for (const [name, addrs] of Object.entries(ROOTS)) {
      const got = have.get(name);
      if (!got) {
        items.push({ label: name, value: 'missing', source: hints.source });
        continue;
      }
      const stale = got.filter((a) => !addrs.includes(a));
      // An entry without its IPv6 address still works; a missing IPv4 address or a stale one does not.
      const lacking = addrs.filter((a) => !a.includes(':') && !got.includes(a));
      if (stale.length || lacking.length) {
        items.push({ label: name, value: `${stale.length ? `outdated ${stale.join(', ')}` : ''}${stale.length && lacking.length ? '; ' : ''}${lacking.length ? `lacks ${lacking.join(', ')}` : ''}`, source: hints.source });
      }
    }
    for (const name of have.keys()) if (!ROOTS[name]) items.push({ label: name, value: 'not a root server', source: hints.source });
    const first = items[0];
    if (first) {
      return fail(`${items.length} root hint entr${items.length === 1 ? 'y is' : 'ies are'} wrong.`, [first, ...items.slice(1)], [
        manualStep('Replace the root hints with the current list from IANA.', ['Get-DnsServerRootHint', 'dnscmd /ResetRootHints  (or Remove-DnsServerRootHint / Add-DnsServerRootHint per server)']),
      ]);
    }
    return pass('All 13 root servers are listed with their current addresses.', [{ label: 'root hints', value: `${hints.value.length} entries`, source: hints.source }]);
  },
});
