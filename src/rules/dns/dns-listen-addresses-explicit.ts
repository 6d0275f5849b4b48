import { manualStep } from '../../fix/ops.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { DNS_COMMANDS } from '../lib/dns.js';

export const dnsListenAddressesExplicit = defineRule({
  id: 'dns-listen-addresses-explicit',
  title: 'A multihomed DNS server listens only on chosen addresses',
  failureTitle: 'A multihomed DNS server listens on every address',
  severity: 'medium',
  area: 'dns',
  rationale:
    'By default the DNS service answers on every address of the host. On a server with several addresses (an internal and an external one, a management network) that often means answering on an interface where nobody should query it. Seed 003 asks to pick the listening addresses explicitly.',
  remediation: 'Choose the addresses clients use and set them as the listen list (DNS Manager → Properties → Interfaces, or dnscmd /ResetListenAddresses ADDRESS ...).',
  references: ['https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/dnscmd', 'https://learn.microsoft.com/en-us/powershell/module/dnsserver/set-dnsserversetting'],
  roles: ['dnsServer'],
  requires: ['dns'],
  evaluate({ dns }) {
    const all = dns.allAddresses;
    const listen = dns.listenAddresses;
    if (!listen) return manual('The listen-address list is not in the bundle.', [DNS_COMMANDS.info], []);
    const listenItem = { label: 'ListenAddresses', value: listen.value.length ? listen.value.join(', ') : '(all addresses)', source: listen.source };
    if (listen.value.length > 0) return pass(`The server listens only on ${listen.value.join(', ')}.`, [listenItem]);
    if (!all) return manual('The server listens on all addresses, and the bundle does not say how many it has.', ['ipconfig /all', DNS_COMMANDS.info], [listenItem]);
    const allItem = { label: 'server addresses', value: all.value.join(', '), source: all.source };
    if (all.value.length <= 1) return pass('The server has a single address, so listening on all addresses exposes nothing extra.', [listenItem, allItem]);
    return fail(`The server has ${all.value.length} addresses and answers DNS on all of them.`, [listenItem, allItem], [
      manualStep('Decide which addresses should answer DNS and restrict the server to them.', [`dnscmd /ResetListenAddresses ${all.value.join(' ')}  (keep only the chosen ones)`]),
    ]);
  },
});
