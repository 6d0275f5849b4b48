// UDP probing: one protocol-correct request per port, and `open` only for a reply that the
// protocol's codec accepts *and* that answers our request (transaction id, nonce, cookie).
//
//   open           a valid answer (reason udp-response); the service is named from the answer
//   closed         ICMP port-unreachable (reason port-unreach; on Linux a connected UDP socket
//                  reports it as ECONNREFUSED)
//   open|filtered  silence after the bounded retries (reason no-response) — also when only
//                  garbage came back: a datagram we cannot validate proves nothing
//
// Only ports with a payload below are probed: an empty datagram gets no answer from any of these
// services, so probing other UDP ports would only ever produce `open|filtered`.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { PortcullisError } from '../core/errors.js';
import type { PortResult, ServiceInfo } from '../core/result.js';
import { netTransport, type Transport } from '../io/transport.js';
import { encodeIkeV1MainMode, MICROSOFT_VENDOR_ID_PREFIX, parseIkeResponse } from '../protocols/ike.js';
import { encodeNbstatQuery, parseNbstatResponse, summariseNbstat } from '../protocols/netbios.js';
import { encodeNtpRequest, parseNtpReply } from '../protocols/ntp.js';
import { encodeGetRequest, parseSnmpMessage, SNMP_OIDS, varbindText } from '../protocols/snmp.js';
import { encodeMSearch, parseSsdpResponse } from '../protocols/ssdp.js';
import { encodeSsrpRequest, parseSsrpResponse } from '../protocols/ssrp.js';
import type { ScanTarget } from './engine.js';

/** One request built for one exchange, with the check that recognises its answer. */
export interface UdpRequest {
  payload: Buffer;
  /** The service learned from a valid answer, or null when `msg` is not an answer to this request. */
  check(msg: Buffer): ServiceInfo | null;
}

export interface UdpPayload {
  port: number;
  service: string;
  /** Short description of what is sent (evidence `sent`). */
  sends: string;
  build(target: ScanTarget): UdpRequest;
}

function svc(name: string, extra: Partial<Omit<ServiceInfo, 'name' | 'tls' | 'method'>> = {}): ServiceInfo {
  const s: ServiceInfo = { name, tls: false, method: 'handshake' };
  if (extra.product) s.product = extra.product;
  if (extra.version) s.version = extra.version;
  if (extra.evidence) s.evidence = extra.evidence;
  if (extra.extra && Object.keys(extra.extra).length > 0) s.extra = extra.extra;
  return s;
}

function clip(s: string, n = 200): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function txid(): number {
  return randomBytes(2).readUInt16BE(0);
}

interface DnsAnswerCheck {
  id: number;
  name: string;
  type: RecordType;
}

/** A DNS-format answer to our question: same id, QR set, and our question echoed (when present). */
function dnsAnswers(msg: Buffer, q: DnsAnswerCheck): { rcode: string; answers: number; aa: boolean } | null {
  if (msg.length < 12 || msg.readUInt16BE(0) !== q.id) return null;
  try {
    const p = dnsPacket.decode(msg) as ReturnType<typeof dnsPacket.decode> & { rcode?: string };
    if (!p.flag_qr) return null;
    const first = p.questions?.[0];
    if (first) {
      const norm = (n: string): string => n.toLowerCase().replace(/\.$/, '');
      if (norm(first.name) !== norm(q.name) || first.type !== q.type) return null;
    }
    return { rcode: p.rcode ?? 'NOERROR', answers: p.answers?.length ?? 0, aa: p.flag_aa };
  } catch {
    return null;
  }
}

function dnsQuery(id: number, name: string, type: RecordType, rd: boolean): Buffer {
  return dnsPacket.encode({ type: 'query', id, flags: rd ? dnsPacket.RECURSION_DESIRED : 0, questions: [{ name, type, class: 'IN' }] });
}

/** The payload table, by port. */
const PAYLOAD_LIST: UdpPayload[] = [
    {
      port: 53,
      service: 'dns',
      sends: 'DNS query . NS (recursion not desired)',
      build: () => {
        // The root NS question without RD: any DNS server answers it (data, referral or REFUSED)
        // and no recursion is asked of anyone.
        const q: DnsAnswerCheck = { id: txid(), name: '.', type: 'NS' };
        return {
          payload: dnsQuery(q.id, q.name, q.type, false),
          check: (m) => {
            const a = dnsAnswers(m, q);
            return a ? svc('dns', { evidence: `rcode ${a.rcode}, ${a.answers} answer(s)` }) : null;
          },
        };
      },
    },
    {
      port: 123,
      service: 'ntp',
      sends: 'NTPv4 client request (mode 3) with a random transmit timestamp',
      build: () => {
        const req = encodeNtpRequest();
        return {
          payload: req.packet,
          check: (m) => {
            const r = parseNtpReply(m, req.nonce);
            if (!r.ok) return null;
            return svc('ntp', {
              version: `v${r.value.version}`,
              evidence: `stratum ${r.value.stratum}, reference ${r.value.refId}${r.value.kiss ? ` (kiss code ${r.value.kiss})` : ''}`,
              extra: { stratum: String(r.value.stratum), refid: r.value.refId },
            });
          },
        };
      },
    },
    {
      port: 137,
      service: 'netbios-ns',
      sends: 'NetBIOS NBSTAT query for *',
      build: () => {
        const id = txid();
        return {
          payload: encodeNbstatQuery(id),
          check: (m) => {
            const r = parseNbstatResponse(m, id);
            if (!r.ok) return null;
            const s = summariseNbstat(r.value);
            const extra: Record<string, string> = { names: s.list.join(', ') };
            if (s.computer) extra['computer'] = s.computer;
            if (s.domain) extra['domain'] = s.domain;
            if (s.users.length) extra['users'] = s.users.join(', ');
            if (r.value.mac) extra['mac'] = r.value.mac;
            return svc('netbios-ns', { evidence: clip(`NBSTAT names: ${s.list.join(', ') || '(none)'}`, 400), extra });
          },
        };
      },
    },
    {
      port: 161,
      service: 'snmp',
      sends: 'SNMPv2c GetRequest sysDescr.0, sysName.0 with community "public"',
      build: () => {
        const requestId = randomBytes(4).readUInt32BE(0) & 0x7fffffff;
        return {
          payload: encodeGetRequest({ version: 'v2c', community: 'public', requestId, oids: [SNMP_OIDS.sysDescr, SNMP_OIDS.sysName] }),
          check: (m) => {
            const r = parseSnmpMessage(m, requestId);
            if (!r.ok || r.value.pdu !== 'response') return null;
            const descr = varbindText(r.value, SNMP_OIDS.sysDescr);
            const name = varbindText(r.value, SNMP_OIDS.sysName);
            const extra: Record<string, string> = { community: 'public', errorStatus: r.value.errorName };
            if (descr) extra['sysDescr'] = clip(descr, 400);
            if (name) extra['sysName'] = clip(name, 100);
            const winVersion = descr ? /Windows Version ([\d.]+)(?: \(Build (\d+))?/.exec(descr) : null;
            const info: Partial<ServiceInfo> = {
              evidence: descr ? `sysDescr: ${clip(descr)}` : `response ${r.value.errorName}`,
              extra,
            };
            if (descr) info.product = clip(descr, 120);
            if (winVersion?.[1]) info.version = winVersion[2] ? `${winVersion[1]} build ${winVersion[2]}` : winVersion[1];
            return svc('snmp', info);
          },
        };
      },
    },
    {
      port: 500,
      service: 'ike',
      sends: 'IKEv1 Main Mode SA proposal (AES/3DES, SHA1/SHA2-256, MODP 1024/2048)',
      build: () => {
        const req = encodeIkeV1MainMode();
        return {
          payload: req.packet,
          check: (m) => {
            const r = parseIkeResponse(m, req.initiatorSpi);
            if (!r.ok) return null;
            const v = r.value;
            const ms = v.vendorIds.some((id) => id.startsWith(MICROSOFT_VENDOR_ID_PREFIX));
            const extra: Record<string, string> = { exchange: v.exchange, proposal: v.proposalAccepted ? 'accepted' : 'not accepted' };
            if (v.notifications.length) extra['notify'] = v.notifications.join(', ');
            if (v.vendorIds.length) extra['vendorIds'] = v.vendorIds.join(', ');
            const info: Partial<ServiceInfo> = {
              version: `IKEv${v.majorVersion}`,
              evidence: `${v.exchange}${v.notifications.length ? `, notify ${v.notifications.join(', ')}` : ''}${v.proposalAccepted ? ', proposal accepted' : ''}`,
              extra,
            };
            if (ms) info.product = 'Microsoft Windows IKE';
            return svc('ike', info);
          },
        };
      },
    },
    {
      port: 1434,
      service: 'ms-sql-m',
      sends: 'SSRP CLNT_UCAST_EX (0x03)',
      build: () => ({
        payload: encodeSsrpRequest('unicast'),
        check: (m) => {
          const r = parseSsrpResponse(m);
          if (!r.ok) return null;
          const inst = r.value.instances;
          const first = inst[0];
          const list = inst.map((i) => `${i.instanceName ?? '?'}${i.tcpPort ? `:${i.tcpPort}` : ''}${i.version ? ` (${i.version})` : ''}`);
          const extra: Record<string, string> = { instances: list.join(', ') };
          if (first?.serverName) extra['serverName'] = first.serverName;
          const info: Partial<ServiceInfo> = { product: 'Microsoft SQL Server', evidence: clip(`instances: ${list.join(', ')}`, 400), extra };
          if (first?.version) info.version = first.version;
          return svc('ms-sql-m', info);
        },
      }),
    },
    {
      port: 1900,
      service: 'ssdp',
      sends: 'SSDP M-SEARCH ssdp:all',
      build: (t) => ({
        payload: encodeMSearch(t.address),
        check: (m) => {
          const r = parseSsdpResponse(m);
          if (!r.ok) return null;
          const extra: Record<string, string> = {};
          if (r.value.usn) extra['usn'] = clip(r.value.usn, 200);
          if (r.value.location) extra['location'] = clip(r.value.location, 200);
          const info: Partial<ServiceInfo> = { evidence: clip(`ST ${r.value.st ?? '?'}, USN ${r.value.usn ?? '?'}`), extra };
          if (r.value.server) info.product = clip(r.value.server, 120);
          return svc('ssdp', info);
        },
      }),
    },
    {
      port: 5353,
      service: 'mdns',
      sends: 'mDNS legacy unicast query _services._dns-sd._udp.local PTR',
      build: () => {
        // From a port other than 5353 this is a "legacy unicast" query (RFC 6762 §6.7): the
        // responder answers us directly and echoes the id and question.
        const q: DnsAnswerCheck = { id: txid(), name: '_services._dns-sd._udp.local', type: 'PTR' };
        return {
          payload: dnsQuery(q.id, q.name, q.type, false),
          check: (m) => {
            const a = dnsAnswers(m, q);
            return a ? svc('mdns', { evidence: `rcode ${a.rcode}, ${a.answers} answer(s)` }) : null;
          },
        };
      },
    },
    {
      port: 5355,
      service: 'llmnr',
      sends: 'LLMNR query for the host name (A)',
      build: (t) => {
        // RFC 4795 §2.1: a responder answers only for names it owns, so ask for the name the user
        // gave (first label). Without a name nothing will answer and the port stays open|filtered.
        const given = t.names?.[0]?.split('.')[0];
        const name = given && /^[A-Za-z0-9-]{1,63}$/.test(given) ? given : `pc-${randomBytes(4).toString('hex')}`;
        const q: DnsAnswerCheck = { id: txid(), name, type: 'A' };
        return {
          payload: dnsQuery(q.id, q.name, q.type, false),
          check: (m) => {
            const a = dnsAnswers(m, q);
            return a ? svc('llmnr', { evidence: `answered for ${name}: rcode ${a.rcode}, ${a.answers} answer(s)` }) : null;
          },
        };
      },
    },
];
export const UDP_PAYLOADS: ReadonlyMap<number, UdpPayload> = new Map(PAYLOAD_LIST.map((p) => [p.port, p]));

/** Ports we have a payload for, ascending. */
export const UDP_PAYLOAD_PORTS: readonly number[] = [...UDP_PAYLOADS.keys()].sort((a, b) => a - b);

export interface UdpScanOptions {
  /** Ports to probe; those without a payload are ignored (see UDP_PAYLOAD_PORTS). Default: all of them. */
  ports?: readonly number[];
  /** Network access (tests inject their own). Default: the real network. */
  transport?: Transport;
  /** Wait for an answer after each send, ms. Default 1000. */
  attemptTimeoutMs?: number;
  /** Extra sends while silent. Default 2 (three datagrams in all). */
  retries?: number;
  /** Exchanges in flight at once. Default 64. */
  concurrency?: number;
  /** Hosts in progress at once. Default 64. */
  maxHostsInFlight?: number;
  signal?: AbortSignal;
}

export interface UdpHostScan {
  address: string;
  names: string[];
  /** One entry per probed port (every state is listed: the UDP set is small). */
  ports: PortResult[];
  /** Any port gave a valid answer or an ICMP port-unreachable: something is there. */
  responded: boolean;
  complete: boolean;
}

/**
 * Probe one port. Resolves to the port's result; never throws for network reasons. `payloadPort`
 * picks the protocol when a service runs on a non-standard port (SNMP on 1161: payloadPort 161).
 */
export async function probeUdpPort(target: ScanTarget, port: number, opts: UdpScanOptions = {}, payloadPort = port): Promise<PortResult> {
  const payload = UDP_PAYLOADS.get(payloadPort);
  if (!payload) throw new PortcullisError('E_USAGE', `no UDP payload for port ${payloadPort} (UDP probes exist for ${UDP_PAYLOAD_PORTS.join(', ')})`);
  const transport = opts.transport ?? netTransport;
  const retries = Math.max(0, Math.min(5, Math.floor(opts.retries ?? 2)));
  const attempt = Math.max(20, opts.attemptTimeoutMs ?? 1000);
  const req = payload.build(target);
  let service: ServiceInfo | null = null;
  const result = await transport.udpExchange(target.address, port, req.payload, {
    timeoutMs: attempt * (1 + retries),
    retries,
    accept: (msg) => {
      service = req.check(msg);
      return service !== null;
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (result.kind === 'answer' && service) return { port, protocol: 'udp', state: 'open', reason: 'udp-response', service };
  if (result.kind === 'unreachable') return { port, protocol: 'udp', state: 'closed', reason: 'port-unreach' };
  return { port, protocol: 'udp', state: 'open|filtered', reason: 'no-response' };
}

/**
 * Probe every target on the UDP ports (those with payloads), several hosts and ports at once,
 * yielding each host when its ports are done. An aborted scan yields the hosts in progress with
 * `complete: false` and only the ports that finished before the abort.
 */
export async function* scanUdp(targets: AsyncIterable<ScanTarget> | Iterable<ScanTarget>, opts: UdpScanOptions = {}): AsyncGenerator<UdpHostScan> {
  const ports = [...new Set(opts.ports ?? UDP_PAYLOAD_PORTS)].filter((p) => UDP_PAYLOADS.has(p)).sort((a, b) => a - b);
  if (ports.length === 0) return;
  const concurrency = Math.max(1, Math.min(4096, Math.floor(opts.concurrency ?? 64)));
  const maxHosts = Math.max(1, Math.floor(opts.maxHostsInFlight ?? 64));
  const it: AsyncIterator<ScanTarget> | Iterator<ScanTarget> =
    Symbol.asyncIterator in targets ? (targets as AsyncIterable<ScanTarget>)[Symbol.asyncIterator]() : (targets as Iterable<ScanTarget>)[Symbol.iterator]();

  interface HostState {
    target: ScanTarget;
    next: number;
    left: number;
    results: PortResult[];
  }
  const active: HostState[] = [];
  const done: UdpHostScan[] = [];
  let targetsDone = false;
  let inflight = 0;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  // One internal signal fans out to every exchange in flight (each adds a listener), linked to
  // the caller's signal with a single listener.
  const inner = new AbortController();
  setMaxListeners(concurrency + 16, inner.signal);
  const probeOpts: UdpScanOptions = { ...opts, signal: inner.signal };
  const aborted = (): boolean => inner.signal.aborted;
  const finish = (h: HostState, complete: boolean): void => {
    const i = active.indexOf(h);
    if (i >= 0) active.splice(i, 1);
    h.results.sort((a, b) => a.port - b.port);
    done.push({
      address: h.target.address,
      names: h.target.names ? [...h.target.names] : [],
      ports: h.results,
      responded: h.results.some((r) => r.state === 'open' || r.state === 'closed'),
      complete,
    });
  };
  const onAbort = (): void => {
    inner.abort();
    poke();
  };
  if (opts.signal?.aborted) inner.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      while (!aborted() && failure === null && inflight < concurrency) {
        let h = active.find((a) => a.next < ports.length);
        if (!h && !targetsDone && active.length < maxHosts) {
          const r = await it.next();
          if (r.done) targetsDone = true;
          else {
            h = { target: r.value, next: 0, left: ports.length, results: [] };
            active.push(h);
          }
        }
        if (!h) break;
        const host = h;
        const port = ports[host.next++] as number;
        inflight++;
        probeUdpPort(host.target, port, probeOpts)
          .then((res) => {
            if (aborted() && res.state === 'open|filtered') return; // cut short: not a real silence
            host.results.push(res);
          })
          .catch((e: unknown) => {
            failure ??= e;
          })
          .finally(() => {
            inflight--;
            if (--host.left === 0) finish(host, !aborted() || host.results.length === ports.length);
            poke();
          });
      }
      while (done.length > 0) yield done.shift() as UdpHostScan;
      if (failure !== null) throw failure;
      if (inflight === 0 && (aborted() || (targetsDone && active.length === 0))) break;
      await new Promise<void>((r) => {
        wake = r;
      });
    }
    for (const h of [...active]) finish(h, false);
    while (done.length > 0) yield done.shift() as UdpHostScan;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!targetsDone) await it.return?.();
  }
}
