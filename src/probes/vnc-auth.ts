// VNC / RFB (RFC 6143 §7.1–7.2): read the server's ProtocolVersion, answer with the version we
// speak, read the security types it offers. Type 1 (None) means anyone who connects gets the desktop.
// We never pick a type, so no session is opened.
import type { CheckMeta, Verdict } from './define.js';
import { defineProbe } from './define.js';
import { clientVersion, encodeVersion, parseRfbVersion, parseSecurity, securityTypeName } from '../protocols/rfb.js';
import { MalformedReply } from '../protocols/malformed.js';
import { Deadline, errorVerdict, verdict, withConnection } from './service-common.js';

export const VNC_NO_AUTH: CheckMeta = {
  id: 'vnc-no-auth',
  title: 'VNC server lets anyone in without a password (security type None)',
  severity: 'critical',
  remediation:
    'Require authentication in the VNC server (e.g. TightVNC/UltraVNC "Require password" or Windows-logon authentication; x11vnc -rfbauth/-usepw), ' +
    'or stop the VNC service and use RDP with NLA; restrict the port in Windows Firewall to the admin hosts.',
  references: ['https://www.rfc-editor.org/rfc/rfc6143#section-7.2'],
};

export const vncAuth = defineProbe({
  id: 'vnc-auth',
  title: 'VNC security types',
  protocol: 'rfb',
  transport: 'tcp',
  ports: [5900, 5901],
  safety: 'safe',
  timeoutMs: 10_000,
  checks: [VNC_NO_AUTH],
  appliesTo: (service) => service?.name === 'vnc',
  async run(ctx): Promise<Verdict[]> {
    const id = VNC_NO_AUTH.id;
    const d = new Deadline(ctx.timeoutMs);
    try {
      return await withConnection(ctx, d, async (s) => {
        const head = await s.readExactly(12, d.left(5_000));
        const v = parseRfbVersion(head);
        if (!v) throw MalformedReply.of('rfb', 'short ProtocolVersion', head);
        const mine = clientVersion(v);
        await s.write(encodeVersion(mine));
        const sent = `ProtocolVersion RFB 003.00${mine.minor}`;
        const raw = await s.readMessage((b) => {
          const r = parseSecurity(b, mine.minor);
          return r ? r.length : 0;
        }, d.left(5_000), 8192);
        const sec = parseSecurity(raw, mine.minor);
        if (!sec) throw MalformedReply.of('rfb', 'security message incomplete', raw);
        const received = `${v.raw}; ${sec.offer.kind === 'types' ? `security types: ${sec.offer.types.map((t) => `${t} ${securityTypeName(t)}`).join(', ')}` : `failure: ${sec.offer.reason}`}`;
        if (sec.offer.kind === 'failure') return [verdict(id, 'error', `the server refused the handshake: ${sec.offer.reason.slice(0, 120)}`, { sent, received })];
        const items = [{ label: 'security types offered', value: sec.offer.types.join(', ') }];
        if (sec.offer.types.includes(1)) return [verdict(id, 'fail', 'security type 1 (None) is offered: no password needed', { sent, received, items })];
        if (sec.offer.types.length === 0 || sec.offer.types.includes(0)) return [verdict(id, 'error', 'the security type list is empty or invalid', { sent, received, items })];
        return [verdict(id, 'pass', `only authenticated security types: ${sec.offer.types.map(securityTypeName).join(', ')}`, { sent, received, items })];
      });
    } catch (e) {
      return [errorVerdict(id, 'the RFB handshake broke off', e)];
    }
  },
});
