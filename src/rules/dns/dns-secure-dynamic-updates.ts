import type { EvidenceItem } from '../../core/finding.js';
import { setDnsServerSetting, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, manual, nonEmpty, notApplicable, pass } from '../define.js';
import { DNS_COMMANDS, primaryZones } from '../lib/dns.js';

const MEANING: Record<number, string> = { 0: 'no dynamic updates', 1: 'secure and nonsecure', 2: 'secure only' };

export const dnsSecureDynamicUpdates = defineRule({
  id: 'dns-secure-dynamic-updates',
  title: 'DNS zones accept only secure dynamic updates (or none)',
  failureTitle: 'A DNS zone accepts nonsecure dynamic updates',
  severity: 'high',
  area: 'dns',
  rationale:
    'With nonsecure dynamic updates, anyone who can reach the server can add or overwrite records in the zone without authenticating — for example pointing a well-known name (wpad, a server name) at their own machine. Secure updates (AD-integrated zones only) tie every record to the Kerberos identity that created it.',
  remediation: 'Set each listed zone to "Secure only" (AD-integrated) or "None" (file-backed zones): Set-DnsServerPrimaryZone -Name ZONE -DynamicUpdate Secure|None.',
  references: [
    'https://learn.microsoft.com/en-us/powershell/module/dnsserver/set-dnsserverprimaryzone',
    'https://learn.microsoft.com/en-us/windows-server/networking/dns/dynamic-update',
  ],
  roles: ['dnsServer'],
  requires: ['dns'],
  evaluate({ dns }) {
    const zones = primaryZones(dns);
    if (zones.length === 0) {
      if (!dns.zoneListComplete) return manual('The zone list was not collected.', [DNS_COMMANDS.zones], []);
      return notApplicable('The DNS server hosts no primary zone.');
    }
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const unknown: string[] = [];
    for (const z of zones) {
      const u = z.allowUpdate;
      if (!u) {
        unknown.push(z.name);
        items.push({ label: `zone ${z.name} AllowUpdate`, value: 'not collected', source: z.source });
        continue;
      }
      items.push({ label: `zone ${z.name} AllowUpdate`, value: `${u.value} (${MEANING[u.value] ?? 'unknown'})`, source: u.source });
      if (u.value === 1) {
        fixes.push(setDnsServerSetting({ setting: 'AllowUpdate', zone: z.name, value: z.dsIntegrated?.value ? 2 : 0, reason: `Zone ${z.name} must not accept unauthenticated record changes.` }));
      }
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`${fixes.length} zone(s) accept nonsecure dynamic updates.`, items, fixes);
    if (unknown.length > 0) return manual(`The update setting of ${unknown.join(', ')} is not in the bundle.`, unknown.map((z) => `dnscmd /ZoneInfo ${z}`), items);
    return pass('No zone accepts nonsecure dynamic updates.', items);
  },
});
