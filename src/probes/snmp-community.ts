// SNMP default communities (RFC 1157 / RFC 3416): one GetRequest for sysDescr.0 and sysName.0 per
// well-known community, all from one UDP socket, answers matched by request-id. An agent drops a
// request with a wrong community silently, so silence to every community is the hardened answer;
// datagrams that are not SNMP make the verdict an error instead.
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe, summarizeBytes } from './define.js';
import { SNMP_OIDS, encodeGetRequest, parseSnmpMessage, varbindText, type SnmpMessage, type SnmpVersion } from '../protocols/snmp.js';
import { verdict } from './service-common.js';

export const SNMP_DEFAULT_COMMUNITY: CheckMeta = {
  id: 'snmp-default-community',
  title: 'SNMP answers a well-known community string',
  severity: 'high',
  remediation:
    'In the SNMP Service properties → Security: remove "public"/"private", add a long random read-only community, and select "Accept SNMP packets from these hosts" ' +
    '(registry HKLM\\SYSTEM\\CurrentControlSet\\Services\\SNMP\\Parameters\\ValidCommunities and \\PermittedManagers); or stop and disable the SNMP service.',
  references: ['https://www.rfc-editor.org/rfc/rfc3416', 'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/configure-snmp-service'],
};

/** Short on purpose: the communities products ship with or admins type first. */
export const DEFAULT_COMMUNITIES = ['public', 'private', 'community', 'manager', 'admin', 'snmp'] as const;
const LISTEN_MS = 3_000;

interface Ask {
  version: SnmpVersion;
  community: string;
  requestId: number;
  payload: Buffer;
}

function plan(): Ask[] {
  const asks: Ask[] = [];
  const base = Math.floor(Math.random() * 0x3fff0000) + 1;
  const add = (version: SnmpVersion, community: string): void => {
    const requestId = base + asks.length;
    asks.push({ version, community, requestId, payload: encodeGetRequest({ version, community, requestId, oids: [SNMP_OIDS.sysDescr, SNMP_OIDS.sysName] }) });
  };
  for (const c of DEFAULT_COMMUNITIES) add('v2c', c);
  add('v1', 'public'); // v1-only agents (old devices) would ignore every v2c request
  return asks;
}

async function send(ctx: ProbeContext, asks: Ask[], listenMs: number): Promise<{ answers: Map<number, Buffer>; unreachable: boolean; garbage: Buffer[] }> {
  const garbage: Buffer[] = [];
  const match = (msg: Buffer): number => {
    if (msg.length < 2) {
      garbage.push(msg);
      return -1;
    }
    const parsed = parseSnmpMessage(msg);
    if (!parsed.ok) {
      if (garbage.length < 4) garbage.push(msg);
      return -1;
    }
    return asks.findIndex((a) => a.requestId === parsed.value.requestId);
  };
  if (ctx.io.udpBurst) {
    const r = await ctx.io.udpBurst(ctx.address, ctx.port, asks.map((a) => a.payload), { timeoutMs: listenMs, match, signal: ctx.signal });
    return { ...r, garbage };
  }
  // Transports without a burst primitive: one exchange per community, all at once.
  const answers = new Map<number, Buffer>();
  let unreachable = false;
  await Promise.all(
    asks.map(async (a, i) => {
      const r = await ctx.io.udpExchange(ctx.address, ctx.port, a.payload, { timeoutMs: listenMs, signal: ctx.signal, accept: (m) => match(m) === i });
      if (r.kind === 'answer' && r.data) answers.set(i, r.data);
      if (r.kind === 'unreachable') unreachable = true;
    }),
  );
  return { answers, unreachable, garbage };
}

export const snmpCommunity = defineProbe({
  id: 'snmp-community',
  title: 'SNMP default communities',
  protocol: 'snmp',
  transport: 'udp',
  ports: [161],
  safety: 'safe',
  timeoutMs: 8_000,
  checks: [SNMP_DEFAULT_COMMUNITY],
  appliesTo: (service, port, protocol) => protocol === 'udp' && (service?.name === 'snmp' || port === 161),
  async run(ctx): Promise<Verdict[]> {
    const id = SNMP_DEFAULT_COMMUNITY.id;
    const asks = plan();
    const listen = Math.max(200, Math.min(LISTEN_MS, ctx.timeoutMs - 500));
    const r = await send(ctx, asks, listen);
    const sent = `GetRequest sysDescr.0 + sysName.0 with communities ${asks.map((a) => `${a.community} (${a.version})`).join(', ')}, one socket`;
    const accepted: { ask: Ask; m: SnmpMessage }[] = [];
    const other: string[] = [];
    for (const [i, raw] of r.answers) {
      const ask = asks[i];
      if (!ask) continue;
      const parsed = parseSnmpMessage(raw, ask.requestId);
      if (!parsed.ok) {
        other.push(`${ask.community}: ${parsed.error}`);
        continue;
      }
      const m = parsed.value;
      if (m.pdu === 'response' && m.errorStatus === 0 && m.community === ask.community) accepted.push({ ask, m });
      else other.push(`${ask.community} (${ask.version}): ${m.pdu}, error-status ${m.errorName}`);
    }
    if (accepted.length) {
      const first = accepted[0]!;
      const sysName = varbindText(first.m, SNMP_OIDS.sysName);
      const sysDescr = varbindText(first.m, SNMP_OIDS.sysDescr);
      const items = [
        { label: 'communities accepted', value: accepted.map((a) => `${a.ask.community} (${a.ask.version})`).join(', ') },
        ...(sysName ? [{ label: 'sysName.0', value: sysName.slice(0, 120) }] : []),
        ...(sysDescr ? [{ label: 'sysDescr.0', value: sysDescr.slice(0, 200) }] : []),
      ];
      if (sysName && /^[A-Za-z0-9.-]+$/.test(sysName)) ctx.learn({ kind: 'hostname', value: sysName.toLowerCase(), source: 'SNMP sysName.0' });
      return [
        verdict(id, 'fail', `the agent answers the well-known communit${accepted.length > 1 ? 'ies' : 'y'} ${accepted.map((a) => JSON.stringify(a.ask.community)).join(', ')}`, {
          sent,
          received: `response, error-status noError${sysName ? `, sysName ${JSON.stringify(sysName.slice(0, 60))}` : ''}`,
          items,
        }),
      ];
    }
    if (r.unreachable) return [verdict(id, 'not-applicable', 'ICMP port unreachable: no SNMP agent listens here', { sent })];
    if (r.garbage.length) {
      return [verdict(id, 'error', `the port answered with datagrams that are not SNMP (${r.garbage.length}); cannot decide`, { sent, received: r.garbage.map((g) => summarizeBytes(g, 32)).join(' | ') })];
    }
    if (other.length) {
      return [verdict(id, 'pass', 'the agent answered but accepted none of the well-known communities', { sent, received: other.join('; ').slice(0, 400) })];
    }
    return [
      verdict(id, 'pass', `no answer to any of ${asks.length} well-known communities within ${listen} ms (agents drop wrong communities silently)`, {
        sent,
        received: 'silence',
      }),
    ];
  },
});
