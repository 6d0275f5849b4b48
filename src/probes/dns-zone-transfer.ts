// AXFR of the zones this server is authoritative for (RFC 5936), over TCP. Candidate names come
// from --domain / the inventory / facts learned during the scan (ctx.domains), the host's own names,
// the server's CHAOS hostname, and the reverse name of its address; an SOA question per candidate
// (RD=0) finds the zone each belongs to and whether this server is authoritative for it. Only those
// zones are asked for: a refusal for a zone the server does not serve would prove nothing.
import type { DnsMessage, QuerySpec } from '../protocols/dns.js';
import { axfr, describeRecord, randomId, reverseName, txtStrings } from '../protocols/dns.js';
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe } from './define.js';
import { appliesToDns, describeAnswer, tcpAsker, type DnsAsk } from './dns-server.js';
import { Deadline, describeFailure, isExchangeFailure, verdict, withConnection } from './service-common.js';

export const DNS_ZONE_TRANSFER: CheckMeta = {
  id: 'dns-zone-transfer-allowed',
  title: 'DNS server hands its whole zone to anyone (AXFR)',
  severity: 'high',
  remediation:
    'Restrict zone transfers per zone: DNS Manager → zone Properties → Zone Transfers → "Only to servers listed on the Name Servers tab" ' +
    'or "Only to the following servers", or clear "Allow zone transfers" (registry value SecureSecondaries under ' +
    'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\DNS Server\\Zones\\<zone>: 1, 2 or 3, never 0; ' +
    'PowerShell Set-DnsServerPrimaryZone -Name <zone> -SecureSecondaries TransferToZoneNameServer).',
  references: ['https://www.rfc-editor.org/rfc/rfc5936', 'https://learn.microsoft.com/en-us/powershell/module/dnsserver/set-dnsserverprimaryzone'],
};

const MAX_CANDIDATES = 16;
const MAX_ZONES = 6;
const QUERY_WAIT_MS = 3_000;

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** The name and its parents down to two labels: dc01.corp.example → itself, corp.example. */
function withParents(name: string): string[] {
  const labels = normalise(name).split('.').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i++) out.push(labels.slice(i).join('.'));
  return out;
}

interface ZoneFinding {
  zone: string;
  via: string;
}

/** The zone that holds `name` on this server, when the server answers authoritatively (AA=1) with its SOA. */
function zoneOf(m: DnsMessage, asked: string): string | null {
  if (!m.aa) return null;
  for (const rr of [...m.answers, ...m.authorities]) {
    if (rr.type !== 'SOA') continue;
    const owner = normalise(rr.name);
    const a = normalise(asked);
    if (a === owner || a.endsWith(`.${owner}`)) return owner;
  }
  return null;
}

async function discoverZones(ctx: ProbeContext, ask: DnsAsk, d: Deadline, notes: string[]): Promise<{ zones: ZoneFinding[]; asked: number; failed: number }> {
  const candidates = new Map<string, string>();
  const add = (name: string, via: string): void => {
    for (const n of withParents(name)) if (candidates.size < MAX_CANDIDATES && !candidates.has(n)) candidates.set(n, via);
  };
  for (const z of ctx.domains) add(z, 'known domain');
  for (const h of ctx.hostNames) add(h, 'host name');
  const rev = reverseName(ctx.address);
  // The server's own story: CHAOS hostname and the PTR of its address.
  const side = await Promise.all([
    ask({ id: randomId(), name: 'hostname.bind', type: 'TXT', class: 'CH', rd: false }, d.left(QUERY_WAIT_MS)).catch(swallow),
    rev ? ask({ id: randomId(), name: rev, type: 'PTR', rd: false }, d.left(QUERY_WAIT_MS)).catch(swallow) : null,
  ]);
  const [chaos, ptr] = side;
  if (chaos) for (const t of txtStrings(chaos)) if (t.includes('.')) add(t, 'CHAOS hostname.bind');
  if (ptr) for (const rr of ptr.answers) if (rr.type === 'PTR' && typeof rr.data === 'string') add(rr.data, `PTR of ${ctx.address}`);
  if (rev) candidates.set(rev, 'reverse name of the address');

  const zones = new Map<string, string>();
  let asked = 0;
  let failed = 0;
  const list = [...candidates.entries()];
  for (let i = 0; i < list.length && !d.expired; i += 4) {
    const batch = list.slice(i, i + 4);
    const answers = await Promise.all(
      batch.map(async ([name, via]) => {
        const q: QuerySpec = { id: randomId(), name, type: 'SOA', rd: false };
        try {
          return { name, via, m: await ask(q, d.left(QUERY_WAIT_MS)) };
        } catch (e) {
          if (!isExchangeFailure(e)) throw e;
          return { name, via, error: describeFailure(e) };
        }
      }),
    );
    for (const a of answers) {
      asked++;
      if ('error' in a) {
        failed++;
        notes.push(`SOA ${a.name}: ${a.error}`.slice(0, 200));
        continue;
      }
      const z = zoneOf(a.m as DnsMessage, a.name);
      notes.push(`SOA ${a.name} (${a.via}): ${describeAnswer(a.m as DnsMessage)}${z ? ` → zone ${z}` : ''}`.slice(0, 200));
      if (z && !zones.has(z)) {
        zones.set(z, a.via);
        ctx.learn({ kind: 'domain', value: z, source: `SOA answered by ${ctx.address}` });
      }
    }
  }
  return { zones: [...zones.entries()].slice(0, MAX_ZONES).map(([zone, via]) => ({ zone, via })), asked, failed };
}

function swallow(e: unknown): null {
  if (isExchangeFailure(e)) return null;
  throw e;
}

export const dnsZoneTransfer = defineProbe({
  id: 'dns-zone-transfer',
  title: 'DNS zone transfer (AXFR) of the zones the server serves',
  protocol: 'dns',
  transport: 'tcp',
  ports: [53],
  safety: 'safe',
  timeoutMs: 25_000,
  checks: [DNS_ZONE_TRANSFER],
  appliesTo: (service, port) => appliesToDns(service, port),
  async run(ctx): Promise<Verdict[]> {
    const id = DNS_ZONE_TRANSFER.id;
    const d = new Deadline(ctx.timeoutMs);
    const notes: string[] = [];
    const { zones, asked, failed } = await discoverZones(ctx, tcpAsker(ctx, d), d, notes);
    if (zones.length === 0) {
      if (asked > 0 && failed === asked) {
        return [verdict(id, 'error', `no SOA question was answered, so no zone could be tested (${notes[0] ?? ''})`.slice(0, 300), { received: notes.join('; ') })];
      }
      return [
        verdict(id, 'manual', `the server is authoritative for none of the ${asked} candidate name(s); give the zone names with --domain to test transfers`, {
          received: notes.slice(0, 8).join('; '),
        }),
      ];
    }
    const items: { label: string; value: string }[] = [];
    const transferred: string[] = [];
    const samples: string[] = [];
    let errors = 0;
    for (const { zone, via } of zones) {
      try {
        const r = await withConnection(ctx, d, (s) => axfr(s, zone, { timeoutMs: d.left(8_000), maxMessages: 200, maxRecords: 20 }));
        const gotRecords = r.rcode === 'NOERROR' && r.recordCount > 0 && r.records[0]?.type === 'SOA';
        items.push({
          label: `AXFR ${zone} (found via ${via})`,
          value: gotRecords
            ? `transferred: ${r.recordCount} record(s) in ${r.messages} message(s)${r.complete ? '' : ` (stopped: ${r.stoppedBecause ?? 'incomplete'})`}`
            : `denied: ${r.rcode}${r.recordCount ? `, ${r.recordCount} record(s) without a leading SOA` : ''}`,
        });
        if (gotRecords) {
          transferred.push(zone);
          samples.push(...r.records.slice(0, 6).map(describeRecord));
        }
      } catch (e) {
        if (!isExchangeFailure(e)) throw e;
        const reason = describeFailure(e);
        // A server that closes the connection on an AXFR it has just proved to be authoritative for
        // has declined the transfer (some do instead of answering REFUSED).
        if (/^closed:/.test(reason)) items.push({ label: `AXFR ${zone} (found via ${via})`, value: 'denied: the server closed the connection without transferring' });
        else {
          errors++;
          items.push({ label: `AXFR ${zone} (found via ${via})`, value: `no decision: ${reason}`.slice(0, 200) });
        }
      }
    }
    const sent = `AXFR for ${zones.map((z) => z.zone).join(', ')}`;
    if (transferred.length) {
      return [verdict(id, 'fail', `zone transfer allowed for ${transferred.join(', ')}`, { sent, received: samples.join('; '), items })];
    }
    if (errors === zones.length) return [verdict(id, 'error', 'every zone transfer attempt broke off before an answer', { sent, items })];
    return [verdict(id, 'pass', `zone transfer refused for ${zones.length - errors} zone(s) this server serves`, { sent, items })];
  },
});
