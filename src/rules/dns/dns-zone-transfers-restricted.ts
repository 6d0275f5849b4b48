import type { EvidenceItem } from '../../core/finding.js';
import { setDnsZoneTransferPolicy, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, manual, nonEmpty, notApplicable, pass } from '../define.js';
import { DNS_COMMANDS, primaryZones } from '../lib/dns.js';

const MEANING: Record<number, string> = { 0: 'to any server', 1: 'only to the zone\'s name servers', 2: 'only to listed servers', 3: 'no transfers' };

export const dnsZoneTransfersRestricted = defineRule({
  id: 'dns-zone-transfers-restricted',
  title: 'DNS zone transfers are restricted',
  failureTitle: 'A DNS zone can be transferred by any server',
  severity: 'high',
  area: 'dns',
  rationale:
    'A zone transfer (AXFR) hands over every record of a zone in one answer: host names, internal addresses, mail and service records. Allowed to any server, it gives an attacker a complete map of the network for free. Transfers should go only to the secondaries that need them, or nowhere for Active Directory-integrated zones, which replicate through AD.',
  remediation: 'For each listed zone, allow transfers only to named secondaries or the zone\'s NS servers, or turn them off (Set-DnsServerPrimaryZone -Name ZONE -SecureSecondaries NoTransfer).',
  references: [
    'https://learn.microsoft.com/en-us/powershell/module/dnsserver/set-dnsserverprimaryzone',
    'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/dnscmd',
  ],
  roles: ['dnsServer'],
  requires: ['dns'],
  evaluate({ dns }) {
    const zones = primaryZones(dns);
    if (zones.length === 0) {
      if (!dns.zoneListComplete) return manual('The zone list was not collected.', [DNS_COMMANDS.zones], []);
      return notApplicable('The DNS server hosts no primary zone, so it has nothing to transfer.');
    }
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const unknown: string[] = [];
    for (const z of zones) {
      const s = z.secureSecondaries;
      if (!s) {
        unknown.push(z.name);
        items.push({ label: `zone ${z.name} SecureSecondaries`, value: 'not collected', source: z.source });
        continue;
      }
      items.push({ label: `zone ${z.name} SecureSecondaries`, value: `${s.value} (${MEANING[s.value] ?? 'unknown'})`, source: s.source });
      if (s.value === 0) {
        const listed = z.secondaryServers?.value ?? [];
        fixes.push(
          setDnsZoneTransferPolicy({
            zone: z.name,
            policy: z.dsIntegrated?.value ? 'NoTransfer' : listed.length ? 'TransferToSecureServers' : 'TransferToZoneNameServer',
            secondaryServers: z.dsIntegrated?.value ? [] : listed,
            reason: `Zone ${z.name} must not be handed to any server that asks.`,
          }),
        );
      }
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`${fixes.length} zone(s) can be transferred by any server.`, items, fixes);
    if (unknown.length > 0) return manual(`The transfer setting of ${unknown.join(', ')} is not in the bundle.`, unknown.map((z) => `dnscmd /ZoneInfo ${z}`), items);
    return pass('Every primary zone restricts transfers.', items);
  },
});
