// Probe `netbios`: does UDP 137 answer a node-status (NBSTAT) query, disclosing the computer name,
// workgroup/domain, logged-on users and MAC address (RFC 1002 §4.2.17–18)? Uses the shared NBSTAT
// codec in protocols/netbios.ts. One socket, the query re-sent while silent, the answer matched by
// transaction id.
import { randomInt } from 'node:crypto';
import type { CheckMeta, Verdict } from './define.js';
import { defineProbe, hexBytes } from './define.js';
import { encodeNbstatQuery, parseNbstatResponse, summariseNbstat } from '../protocols/netbios.js';

const NETBIOS_CHECKS = [
  {
    id: 'netbios-name-disclosure',
    title: 'NetBIOS name service answers NBSTAT queries',
    severity: 'medium',
    remediation:
      'Disable NetBIOS over TCP/IP on every Internet-facing adapter: HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{GUID}\\NetbiosOptions=2 ' +
      '(adapter properties → IPv4 → Advanced → WINS → "Disable NetBIOS over TCP/IP"), and block UDP 137/138 and TCP 139 at the firewall.',
    references: ['https://www.rfc-editor.org/rfc/rfc1002#section-4.2.18', 'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/netbios-over-tcpip-configuration'],
  },
] as const satisfies readonly CheckMeta[];

export const netbiosProbe = defineProbe({
  id: 'netbios',
  title: 'NetBIOS name disclosure (NBSTAT)',
  protocol: 'netbios',
  transport: 'udp',
  ports: [137],
  safety: 'safe',
  timeoutMs: 6_000,
  checks: NETBIOS_CHECKS,
  appliesTo: (svc, port, protocol) => protocol === 'udp' && (port === 137 || svc?.name === 'netbios-ns'),
  async run(ctx): Promise<Verdict[]> {
    const id = 'netbios-name-disclosure';
    const txid = randomInt(1, 0xffff);
    const query = encodeNbstatQuery(txid);
    const waitMs = Math.max(300, Math.min(4_500, ctx.timeoutMs - 300));
    const sent = `NBSTAT query for "*" (transaction 0x${txid.toString(16)}), up to 3 sends over ${waitMs} ms`;
    const r = await ctx.io.udpExchange(ctx.address, ctx.port, query, {
      timeoutMs: waitMs,
      retries: 2,
      signal: ctx.signal,
      accept: (msg) => msg.length >= 2 && msg.readUInt16BE(0) === txid,
    });
    if (r.kind === 'unreachable') {
      return [{ check: id, status: 'pass', evidence: { summary: 'ICMP port unreachable: nothing answers NBSTAT on this address', sent } }];
    }
    if (r.kind === 'silence' || !r.data) {
      const wasOpen = ctx.hostPorts.some((p) => p.port === ctx.port && p.protocol === 'udp' && p.state === 'open');
      return wasOpen
        ? [{ check: id, status: 'error', evidence: { summary: `the port answered during the scan but not to ${sent}`, sent } }]
        : [{ check: id, status: 'pass', evidence: { summary: `no answer to ${sent}: no node status disclosed`, sent } }];
    }
    const p = parseNbstatResponse(r.data, txid);
    if (!p.ok) return [{ check: id, status: 'error', evidence: { summary: `unreadable NBSTAT answer: ${p.error}`, sent, received: hexBytes(r.data) } }];
    const s = summariseNbstat(p.value);
    if (p.value.rcode !== 0 || p.value.names.length === 0) {
      return [{ check: id, status: 'pass', evidence: { summary: `the name service answered without names (RCODE ${p.value.rcode})`, sent, received: hexBytes(r.data) } }];
    }
    if (s.domain) ctx.learn({ kind: 'domain', value: s.domain.toLowerCase(), source: `NetBIOS NBSTAT workgroup/domain on ${ctx.address}` });
    if (s.computer) ctx.learn({ kind: 'hostname', value: s.computer.toLowerCase(), source: `NetBIOS NBSTAT computer name on ${ctx.address}` });
    const items = [
      ...(s.computer ? [{ label: 'computer', value: s.computer }] : []),
      ...(s.domain ? [{ label: 'workgroup/domain', value: s.domain }] : []),
      ...(s.users.length ? [{ label: 'logged-on users (suffix 0x03)', value: s.users.join(', ') }] : []),
      ...(p.value.mac ? [{ label: 'MAC', value: p.value.mac }] : []),
      { label: 'names', value: s.list.join(', ') },
    ];
    return [
      {
        check: id,
        status: 'fail',
        evidence: {
          summary: `NBSTAT answered with ${p.value.names.length} name(s)${s.computer ? `: computer ${s.computer}` : ''}${s.domain ? `, workgroup/domain ${s.domain}` : ''}${s.users.length ? `, users ${s.users.join(', ')}` : ''}${p.value.mac ? `, MAC ${p.value.mac}` : ''}`,
          sent,
          received: s.list.join(', '),
          items,
        },
      },
    ];
  },
});
