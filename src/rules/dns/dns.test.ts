import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyRule } from '../define.js';
import { assertCase, check, dns, hostFrom, s, services, system, type Case } from '../testing.js';
import { dnsCachePollutionProtection } from './dns-cache-pollution-protection.js';
import { dnsListenAddressesExplicit } from './dns-listen-addresses-explicit.js';
import { dnsRecursionDisabled } from './dns-recursion-disabled.js';
import { dnsRootHintsCurrent } from './dns-root-hints-current.js';
import { dnsSecureDynamicUpdates } from './dns-secure-dynamic-updates.js';
import { dnsVersionQueryDisabled } from './dns-version-query-disabled.js';
import { dnsZoneTransfersRestricted } from './dns-zone-transfers-restricted.js';

const host = (d: Parameters<typeof dns>[0]) => hostFrom({}, { dns: dns(d) });
/** A web server with a complete service list and no DNS service: the DNS rules do not apply. */
const notDns = hostFrom({}, { services: services([{ name: 'W3SVC', start: 'auto', state: 'running' }]) });

const CURRENT_ROOTS = [
  ['a', '198.41.0.4'], ['b', '170.247.170.2'], ['c', '192.33.4.12'], ['d', '199.7.91.13'], ['e', '192.203.230.10'], ['f', '192.5.5.241'], ['g', '192.112.36.4'],
  ['h', '198.97.190.53'], ['i', '192.36.148.17'], ['j', '192.58.128.30'], ['k', '193.0.14.129'], ['l', '199.7.83.42'], ['m', '202.12.27.33'],
].map(([l, a]) => ({ name: `${l}.root-servers.net.`, addresses: [a!] }));

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    dnsZoneTransfersRestricted,
    [
      { name: 'transfers to NS only', state: host({ zones: [{ name: 'example.org', secureSecondaries: s(1, 9) }] }), status: 'pass' },
      { name: 'transfers to any server', state: host({ zones: [{ name: 'example.org', secureSecondaries: s(0, 9) }, { name: 'corp.example', secureSecondaries: s(3, 9) }] }), status: 'fail', item: /example\.org SecureSecondaries 0/ },
      { name: 'secondary zones are not judged', state: host({ zones: [{ name: 'other.org', zoneType: s('secondary'), secureSecondaries: s(0) }] }), status: 'not-applicable' },
      { name: 'setting not collected', state: host({ zones: [{ name: 'example.org' }] }), status: 'manual' },
      { name: 'not a DNS server', state: notDns, status: 'not-applicable' },
      { name: 'DNS service present, nothing exported', state: hostFrom({}, { services: services([{ name: 'DNS', start: 'auto', state: 'running' }]) }), status: 'manual' },
    ],
  ],
  [
    dnsSecureDynamicUpdates,
    [
      { name: 'secure only', state: host({ zones: [{ name: 'corp.example', allowUpdate: s(2), dsIntegrated: s(true) }] }), status: 'pass' },
      { name: 'nonsecure', state: host({ zones: [{ name: 'corp.example', allowUpdate: s(1) }] }), status: 'fail' },
      { name: 'not a DNS server', state: notDns, status: 'not-applicable' },
    ],
  ],
  [
    dnsRecursionDisabled,
    [
      { name: 'off', state: host({ recursionEnabled: s(false) }), status: 'pass' },
      { name: 'on, member server', state: { ...host({ recursionEnabled: s(true) }), system: system(17763) }, status: 'fail' },
      { name: 'on, domain controller', state: { ...host({ recursionEnabled: s(true) }), system: system(17763, 'Microsoft Windows Server 2019 Standard', 'primary-dc') }, status: 'manual' },
      { name: 'not exported', state: host({}), status: 'manual' },
    ],
  ],
  [
    dnsCachePollutionProtection,
    [
      { name: 'on', state: host({ secureResponses: s(true) }), status: 'pass' },
      { name: 'off', state: host({ secureResponses: s(false) }), status: 'fail' },
      { name: 'unset → default on', state: host({}), status: 'pass', summary: /default/ },
    ],
  ],
  [
    dnsVersionQueryDisabled,
    [
      { name: '0', state: host({ enableVersionQuery: s(0) }), status: 'pass' },
      { name: '1', state: host({ enableVersionQuery: s(1) }), status: 'fail' },
    ],
  ],
  [
    dnsListenAddressesExplicit,
    [
      { name: 'explicit list', state: host({ listenAddresses: s(['10.0.0.53']), allAddresses: s(['10.0.0.53', '203.0.114.53']) }), status: 'pass' },
      { name: 'all of two addresses', state: host({ listenAddresses: s([]), allAddresses: s(['10.0.0.53', '203.0.114.53']) }), status: 'fail' },
      { name: 'single address', state: host({ listenAddresses: s([]), allAddresses: s(['10.0.0.53']) }), status: 'pass' },
      { name: 'address count unknown', state: host({ listenAddresses: s([]) }), status: 'manual' },
    ],
  ],
  [
    dnsRootHintsCurrent,
    [
      { name: 'current', state: host({ rootHints: s(CURRENT_ROOTS) }), status: 'pass' },
      { name: 'old b.root address', state: host({ rootHints: s(CURRENT_ROOTS.map((r) => (r.name.startsWith('b.') ? { ...r, addresses: ['199.9.14.201'] } : r))) }), status: 'fail', item: /b\.root-servers\.net outdated 199\.9\.14\.201/ },
      { name: 'missing letter', state: host({ rootHints: s(CURRENT_ROOTS.slice(1)) }), status: 'fail', item: /a\.root-servers\.net missing/ },
      { name: 'recursion off', state: host({ recursionEnabled: s(false), rootHints: s([]) }), status: 'not-applicable' },
      { name: 'not exported', state: host({}), status: 'manual' },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}

test('zone transfer fix: AD-integrated zones stop transferring, file zones go to their NS servers', () => {
  const f = check(dnsZoneTransfersRestricted, host({ zones: [{ name: 'ad.example', secureSecondaries: s(0), dsIntegrated: s(true) }, { name: 'web.example', secureSecondaries: s(0) }] }));
  assert.deepEqual(
    f.fix?.map((o) => (o.op === 'setDnsZoneTransferPolicy' ? [o.zone, o.policy] : [])),
    [
      ['ad.example', 'NoTransfer'],
      ['web.example', 'TransferToZoneNameServer'],
    ],
  );
});
