import type { DnsServerState, DnsZone } from '../../host/state.js';

/** Zones that hold the server's own authoritative data and can be transferred or updated:
 *  primary zones, not the automatic ones (0.in-addr.arpa, 127.in-addr.arpa, TrustAnchors …). */
export function primaryZones(dns: DnsServerState): DnsZone[] {
  return Object.values(dns.zones).filter((z) => {
    const t = z.zoneType?.value.toLowerCase();
    if (t !== undefined && t !== 'primary') return false;
    if (z.autoCreated?.value) return false;
    return !/^(trustanchors|0\.in-addr\.arpa|127\.in-addr\.arpa|255\.in-addr\.arpa)$/i.test(z.name);
  });
}

export const DNS_COMMANDS = {
  zones: 'dnscmd /EnumZones; dnscmd /ZoneInfo <zone>  (or Get-DnsServerZone | ConvertTo-Json)',
  info: 'dnscmd /Info  (or Get-DnsServerSetting -All | ConvertTo-Json)',
  recursion: 'Get-DnsServerRecursion | ConvertTo-Json',
  rootHints: 'Get-DnsServerRootHint | ConvertTo-Json -Depth 4',
};
