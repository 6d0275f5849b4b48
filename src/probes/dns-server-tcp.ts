// The same recursion and version questions as dns-server, asked over TCP 53 — only when the scan
// has no UDP 53 result for the host (UDP not scanned), so the two never judge the same server twice.
import { defineProbe } from './define.js';
import { appliesToDns, checkRecursion, checkVersion, DNS_OPEN_RECURSION, DNS_VERSION_DISCLOSED, RECURSION_WAIT_MS, tcpAsker } from './dns-server.js';
import { Deadline } from './service-common.js';

export const dnsServerTcp = defineProbe({
  id: 'dns-server-tcp',
  title: 'DNS recursion and version disclosure (TCP, when UDP 53 was not scanned)',
  protocol: 'dns',
  transport: 'tcp',
  ports: [53],
  safety: 'safe',
  timeoutMs: RECURSION_WAIT_MS + 5_000,
  checks: [DNS_OPEN_RECURSION, DNS_VERSION_DISCLOSED],
  appliesTo: (service, port) => appliesToDns(service, port),
  async run(ctx) {
    const udp53 = ctx.hostPorts.some((p) => p.protocol === 'udp' && p.port === ctx.port && (p.state === 'open' || p.state === 'open|filtered'));
    if (udp53) return []; // dns-server (UDP, same port) answers these for this host
    const d = new Deadline(ctx.timeoutMs);
    const ask = tcpAsker(ctx, d);
    const [recursion, version] = await Promise.all([checkRecursion(ask, ctx.domains, d.left(RECURSION_WAIT_MS)), checkVersion(ask, ctx.learn, d.left(3_000))]);
    return [recursion, version];
  },
});
