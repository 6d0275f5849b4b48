// DNS server behaviour asked over UDP: open recursion and version disclosure (PROTOCOLS.md §DNS).
// The recursion trap: a resolver with no working upstream answers SERVFAIL only after it has given
// up on its forwarders or the roots — several seconds later. A probe that stops listening after a
// second or two calls such a server "not recursive"; this one waits (and says how long it took).
import type { ServiceInfo } from '../core/result.js';
import { IoError } from '../io/transport.js';
import type { DnsMessage, QuerySpec } from '../protocols/dns.js';
import { answersQuery, decodeMessage, encodeQuery, frameTcp, randomId, readTcpMessage, txtStrings } from '../protocols/dns.js';
import { MalformedReply } from '../protocols/malformed.js';
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe } from './define.js';
import { Deadline, describeFailure, errorVerdict, isExchangeFailure, randomToken, verdict, withConnection } from './service-common.js';

export const DNS_OPEN_RECURSION: CheckMeta = {
  id: 'dns-open-recursion',
  title: 'DNS server resolves recursive queries for anyone',
  severity: 'high',
  remediation:
    'Turn recursion off on an authoritative or Internet-facing DNS server: DNS Manager → server Properties → Advanced → "Disable recursion" ' +
    '(registry HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters NoRecursion = 1; PowerShell Set-DnsServerRecursion -Enable $false). ' +
    'Where clients need a resolver, use recursion scopes to allow it only to them.',
  references: ['https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/disable-dns-recursion-on-dns-server', 'https://www.rfc-editor.org/rfc/rfc5358'],
};

export const DNS_VERSION_DISCLOSED: CheckMeta = {
  id: 'dns-version-disclosed',
  title: 'DNS server tells its software version (CHAOS version.bind)',
  severity: 'low',
  remediation:
    'Stop answering version queries: registry HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters EnableVersionQuery = 0 ' +
    '(dnscmd /config /EnableVersionQuery 0), then restart the DNS Server service.',
  references: ['https://learn.microsoft.com/en-us/windows-server/networking/dns/dns-top', 'https://www.rfc-editor.org/rfc/rfc4892'],
};

/** Longest time we keep listening for the recursive answer (a forwarder timeout plus slack). */
export const RECURSION_WAIT_MS = 15_000;
const CHAOS_WAIT_MS = 3_000;

/** One DNS question and its answer; throws IoError (silence = timeout) or MalformedReply. */
export type DnsAsk = (q: QuerySpec, waitMs: number) => Promise<DnsMessage>;

export function udpAsker(ctx: ProbeContext): DnsAsk {
  return async (q, waitMs) => {
    const payload = encodeQuery(q);
    let undecodable = null as MalformedReply | null;
    // Resend twice while silent (lost datagrams), same id: a resolver treats it as one query.
    const r = await ctx.io.udpExchange(ctx.address, ctx.port, payload, {
      timeoutMs: waitMs,
      retries: 2,
      signal: ctx.signal,
      accept: (m) => {
        try {
          return answersQuery(decodeMessage(m), q);
        } catch (e) {
          if (e instanceof MalformedReply && m.length >= 2 && m.readUInt16BE(0) === q.id) undecodable = e;
          return false;
        }
      },
    });
    if (r.kind === 'unreachable') throw new IoError('unreachable', 'ICMP port unreachable: nothing listens on UDP there');
    if (r.kind === 'silence' || !r.data) {
      if (undecodable) throw undecodable;
      throw new IoError('timeout', `no answer to ${describeQuery(q)} within ${waitMs} ms (sent 3 times)`);
    }
    return decodeMessage(r.data);
  };
}

export function tcpAsker(ctx: ProbeContext, d: Deadline): DnsAsk {
  return (q, waitMs) =>
    withConnection(ctx, d, async (s) => {
      await s.write(frameTcp(encodeQuery(q)));
      const until = Date.now() + Math.min(waitMs, d.left());
      for (let i = 0; i < 4; i++) {
        const m = await readTcpMessage(s, Math.max(1, until - Date.now()));
        if (answersQuery(m, q)) return m;
      }
      throw MalformedReply.of('dns', 'no answer carrying our query id');
    });
}

export function describeQuery(q: QuerySpec): string {
  return `${q.name || '.'} ${q.class ?? 'IN'} ${q.type}${q.rd ? ' (RD=1)' : ' (RD=0)'}`;
}

export function describeAnswer(m: DnsMessage): string {
  const flags = [m.aa ? 'AA' : '', m.ra ? 'RA' : '', m.tc ? 'TC' : ''].filter(Boolean).join(' ');
  return `${m.rcode}${flags ? ` [${flags}]` : ' [no AA, no RA]'}, ${m.answers.length} answer(s), ${m.authorities.length} authority record(s)`;
}

/** A name certainly outside the zones this server serves (random label under a reserved domain). */
export function recursionTestName(zones: readonly string[]): string {
  for (const base of ['example.com', 'example.net', 'example.org']) {
    if (!zones.some((z) => base === z || base.endsWith(`.${z}`) || z.endsWith(`.${base}`) || z === '')) return `pc-${randomToken()}.${base}`;
  }
  return `pc-${randomToken()}.invalid`;
}

export async function checkRecursion(ask: DnsAsk, zones: readonly string[], waitMs: number): Promise<Verdict> {
  const id = DNS_OPEN_RECURSION.id;
  const q: QuerySpec = { id: randomId(), name: recursionTestName(zones), type: 'A', rd: true };
  const sent = describeQuery(q);
  const started = Date.now();
  let m: DnsMessage;
  try {
    m = await ask(q, waitMs);
  } catch (e) {
    return errorVerdict(id, `the recursive query got no usable answer (waited ${((Date.now() - started) / 1000).toFixed(1)} s)`, e, sent);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const received = `${describeAnswer(m)} after ${secs} s`;
  const items = [
    { label: 'RCODE', value: m.rcode },
    { label: 'RA (recursion available)', value: m.ra },
    { label: 'AA (authoritative)', value: m.aa },
    { label: 'seconds to answer', value: Number(secs) },
  ];
  if (m.rcode === 'REFUSED' || m.rcode === 'NOTIMP') {
    return verdict(id, 'pass', `the server refuses recursion for a name outside its zones (${m.rcode})`, { sent, received, items });
  }
  if (m.aa) return verdict(id, 'pass', `the server answered authoritatively for ${q.name}, not by recursion`, { sent, received, items });
  if (m.ra && (m.rcode === 'NOERROR' || m.rcode === 'NXDOMAIN' || m.rcode === 'SERVFAIL')) {
    const how =
      m.rcode === 'SERVFAIL'
        ? `it tried to resolve the name and gave up (SERVFAIL after ${secs} s: recursion is on, its upstream just failed)`
        : `it resolved the name for us (${m.rcode})`;
    return verdict(id, 'fail', `recursion available to this client: ${how}`, { sent, received, items });
  }
  if (!m.ra) return verdict(id, 'pass', `no recursion: the answer to an RD=1 query has RA=0 (${m.rcode})`, { sent, received, items });
  return verdict(id, 'error', `unexpected answer to the recursive query (${m.rcode} with RA=1); cannot decide`, { sent, received, items });
}

/** Looks like a product version rather than a refusal text ("none", "unknown", a joke). */
export function isVersionLike(s: string): boolean {
  return /\d+\.\d+/.test(s) || /\b(BIND|Microsoft DNS|dnsmasq|PowerDNS|unbound|Knot|NSD|Simple DNS|named)\b/i.test(s);
}

export async function checkVersion(ask: DnsAsk, learn: ProbeContext['learn'], waitMs = CHAOS_WAIT_MS): Promise<Verdict> {
  const id = DNS_VERSION_DISCLOSED.id;
  const names = ['version.bind', 'id.server', 'hostname.bind'];
  const results = await Promise.all(
    names.map(async (name) => {
      const q: QuerySpec = { id: randomId(), name, type: 'TXT', class: 'CH', rd: false };
      try {
        return { name, m: await ask(q, waitMs) };
      } catch (e) {
        if (!isExchangeFailure(e)) throw e;
        return { name, error: describeFailure(e) };
      }
    }),
  );
  const items: { label: string; value: string }[] = [];
  let versionText: string | undefined;
  let answered = 0;
  for (const r of results) {
    if ('error' in r) {
      items.push({ label: `CH TXT ${r.name}`, value: `no answer (${r.error})`.slice(0, 160) });
      continue;
    }
    answered++;
    const txt = (r.m as DnsMessage).answers.length ? txtStrings(r.m as DnsMessage).join(' | ') : '';
    items.push({ label: `CH TXT ${r.name}`, value: txt ? JSON.stringify(txt.slice(0, 120)) : describeAnswer(r.m as DnsMessage) });
    if (r.name === 'version.bind' && txt) versionText = txt;
    if (r.name !== 'version.bind' && txt && /^[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$/.test(txt)) {
      learn({ kind: 'hostname', value: txt.toLowerCase(), source: `DNS CHAOS ${r.name}` });
      const dot = txt.indexOf('.');
      if (dot > 0 && txt.slice(dot + 1).includes('.')) learn({ kind: 'domain', value: txt.slice(dot + 1).toLowerCase(), source: `DNS CHAOS ${r.name}` });
    }
  }
  const sent = 'CHAOS TXT queries: version.bind, id.server, hostname.bind';
  const received = items.map((i) => `${i.label}: ${i.value}`).join('; ');
  if (answered === 0) return verdict(id, 'error', 'none of the CHAOS queries was answered; cannot decide', { sent, received, items });
  if (versionText && isVersionLike(versionText)) {
    return verdict(id, 'fail', `version.bind answers ${JSON.stringify(versionText.slice(0, 80))}`, { sent, received, items });
  }
  const why = versionText ? `version.bind answers only ${JSON.stringify(versionText.slice(0, 40))}, which names no version` : 'version.bind gives no version';
  return verdict(id, 'pass', why, { sent, received, items });
}

export function appliesToDns(service: ServiceInfo | undefined, port: number): boolean {
  return service?.name === 'dns' || (port === 53 && (!service || service.name === 'unknown'));
}

export const dnsServer = defineProbe({
  id: 'dns-server',
  title: 'DNS recursion and version disclosure (UDP)',
  protocol: 'dns',
  transport: 'udp',
  ports: [53],
  safety: 'safe',
  timeoutMs: RECURSION_WAIT_MS + 5_000,
  checks: [DNS_OPEN_RECURSION, DNS_VERSION_DISCLOSED],
  appliesTo: (service, port) => appliesToDns(service, port),
  async run(ctx) {
    const d = new Deadline(ctx.timeoutMs);
    const ask = udpAsker(ctx);
    const [recursion, version] = await Promise.all([checkRecursion(ask, ctx.domains, d.left(RECURSION_WAIT_MS)), checkVersion(ask, ctx.learn, d.left(CHAOS_WAIT_MS))]);
    return [recursion, version];
  },
});
