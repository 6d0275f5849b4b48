// BIND 9 (named) as the DNS peer, authoritative for a small zone `corp.test`.
//
// careless: AXFR allowed to anyone, recursion for anyone, real version in version.bind.
// hardened: AXFR refused, recursion off, version.bind / hostname.bind / id.server hidden.
//
// Network rule: a recursive server would normally ask the Internet's root servers, which our tests
// must never do. Instead the careless server forwards ("forward only") to an upstream that the
// harness itself provides on the same loopback address: a UDP socket that swallows every query.
// That reproduces exactly the no-upstream situation of a lab server — the recursive answer is
// SERVFAIL after the resolver gives up, several seconds later — without a packet leaving 127/8.
import dgram from 'node:dgram';
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp, waitForUdp, addLoopbackAlias } from './net.js';
import { HarnessError } from './process.js';

export interface BindPorts {
  /** TCP and UDP. */
  dns: number;
  /** careless only: the silent upstream the server forwards to (UDP/TCP on the same address; 0 when absent). */
  silentUpstream: number;
}

export interface BindOptions extends CommonOptions {
  ports?: Partial<BindPorts>;
  /** Zone served (and transferable in careless). Default `corp.test`. */
  zone?: string;
}

const DEFAULTS: BindPorts = { dns: 53, silentUpstream: 10053 };

function zoneText(zone: string, address: string): string {
  // Serial and names are fixed so tests can assert on exact records.
  return [
    `$ORIGIN ${zone}.`,
    '$TTL 300',
    `@ IN SOA ns1.${zone}. hostmaster.${zone}. ( 2024010101 3600 600 86400 300 )`,
    `@ IN NS ns1.${zone}.`,
    `ns1 IN A ${address}`,
    `dc01 IN A ${address}`,
    `fileserver IN A ${address}`,
    `www IN CNAME fileserver.${zone}.`,
    `_ldap._tcp IN SRV 0 100 389 dc01.${zone}.`,
    `@ IN TXT "portcullis test zone"`,
    '',
  ].join('\n');
}

/**
 * Starts named on `address` (dns 53 TCP+UDP), authoritative for `corp.test` (or `zone`).
 * careless: allow-transfer any, recursion + allow-recursion any (forwarding to a silent upstream
 * on `silentUpstream`, so recursive answers are SERVFAIL after a delay), real version string.
 * hardened: allow-transfer none, recursion no, version/hostname/server-id none.
 */
export async function startBind(opts: BindOptions): Promise<Peer<BindPorts>> {
  const b = new PeerBuilder('bind9', opts);
  const held: { sink?: dgram.Socket | undefined; unalias?: () => Promise<void> } = {};
  const cleanup = async () => {
    const s = held.sink;
    held.sink = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
    await held.unalias?.();
  };
  const peer = await b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('bind9', DEFAULTS, opts.ports);
    if (!careless) ports.silentUpstream = 0;
    const zone = opts.zone ?? 'corp.test';
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(zone)) throw new HarnessError(`bind9: zone ${JSON.stringify(zone)} is not a domain name`);
    const a = opts.address;
    // named binds only addresses it finds on an interface, so the /32 goes on lo while it runs.
    held.unalias = await addLoopbackAlias(a);
    if (careless) {
      const s = dgram.createSocket('udp4');
      held.sink = s;
      s.on('message', () => {
        // swallow: an upstream that never answers
      });
      await new Promise<void>((res, rej) => {
        s.once('error', (e) => rej(new HarnessError(`bind9: silent upstream on udp ${a}:${ports.silentUpstream}: ${e.message}`)));
        s.bind(ports.silentUpstream, a, () => res());
      });
    }
    b.write(`${zone}.zone`, zoneText(zone, a));
    const conf = [
      'options {',
      `  directory "${b.dir}";`,
      `  pid-file "${b.path('named.pid')}";`,
      `  session-keyfile "${b.path('session.key')}";`,
      `  managed-keys-directory "${b.dir}";`,
      `  listen-on port ${ports.dns} { ${a}; };`,
      '  listen-on-v6 { none; };',
      // Outgoing queries (to the forwarder) come from our own address, never a wildcard socket.
      `  query-source address ${a};`,
      '  notify no;',
      '  dnssec-validation no;',
      '  allow-query { any; };',
      ...(careless
        ? [
            '  recursion yes;',
            '  allow-recursion { any; };',
            '  allow-transfer { any; };',
            `  forwarders { ${a} port ${ports.silentUpstream}; };`,
            '  forward only;',
          ]
        : ['  recursion no;', '  allow-transfer { none; };', '  version none;', '  hostname none;', '  server-id none;']),
      '};',
      // No control channel: without this statement named opens rndc on 127.0.0.1:953.
      'controls { };',
      `zone "${zone}" { type primary; file "${b.path(`${zone}.zone`)}"; };`,
      '',
    ].join('\n');
    const confPath = b.write('named.conf', conf);
    b.watchPidFile(b.path('named.pid'));
    // -g: foreground, log to stderr; -4: IPv4 only; no -u: stays root so it can read the temp dir.
    const sp = await b.spawn('named', 'named', ['-g', '-4', '-c', confPath]);
    await waitForTcp(a, ports.dns, b.remaining(), [sp]);
    await waitForUdp(a, ports.dns, b.remaining(), [sp]);
    return b.finish(ports, { zone });
  }).catch(async (e: unknown) => {
    await cleanup();
    throw e;
  });
  return {
    ...peer,
    stop: async () => {
      try {
        await peer.stop();
      } finally {
        await cleanup();
      }
    },
  };
}
