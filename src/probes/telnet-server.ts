// Telnet (RFC 854): a server that opens with IAC option negotiation is a Telnet server, and Telnet
// carries the login in clear text. We refuse every option it asks for (so it moves on to its
// prompt, which we keep as evidence) and never type a user name or password.
import type { CheckMeta, Verdict } from './define.js';
import { defineProbe, summarizeBytes } from './define.js';
import { describeNegotiations, parseTelnet, refuseAll } from '../protocols/telnet.js';
import { IoError } from '../io/transport.js';
import { Deadline, errorVerdict, verdict, withConnection } from './service-common.js';

export const TELNET_CLEARTEXT: CheckMeta = {
  id: 'telnet-cleartext',
  title: 'Telnet service answers: logins travel in clear text',
  severity: 'high',
  remediation:
    'Stop and disable the Telnet Server service (sc config TlntSvr start= disabled; net stop TlntSvr), or remove the feature ' +
    '(Uninstall-WindowsFeature Telnet-Server); administer over SSH, WinRM over HTTPS or RDP with NLA instead.',
  references: ['https://www.rfc-editor.org/rfc/rfc854'],
};

function mostlyReadable(text: Buffer): boolean {
  if (text.length === 0) return true;
  let ok = 0;
  for (const b of text) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09 || b === 0) ok++;
  return ok / text.length >= 0.9;
}

/** How long the first bytes may take; telnetd under inetd starts a process first. */
const FIRST_BYTES_MS = 4_000;

export const telnetServer = defineProbe({
  id: 'telnet-server',
  title: 'Telnet in clear text',
  protocol: 'telnet',
  transport: 'tcp',
  ports: [23],
  safety: 'safe',
  timeoutMs: 10_000,
  checks: [TELNET_CLEARTEXT],
  appliesTo: (service, port) => service?.name === 'telnet' || (port === 23 && (!service || service.name === 'unknown')),
  async run(ctx): Promise<Verdict[]> {
    const id = TELNET_CLEARTEXT.id;
    const d = new Deadline(ctx.timeoutMs);
    try {
      return await withConnection(ctx, d, async (s) => {
        const first = await s.peek(d.left(FIRST_BYTES_MS));
        if (first.length === 0) throw new IoError('timeout', `the service sent nothing within ${FIRST_BYTES_MS} ms`);
        const p = parseTelnet(first.subarray(0, 4096));
        if (p.negotiations.length === 0 && p.subnegotiations.length === 0) {
          return [verdict(id, 'error', 'the service spoke, but without Telnet option negotiation; not judged as Telnet', { received: summarizeBytes(first) })];
        }
        if (p.invalid > 0) {
          return [verdict(id, 'error', `the first bytes hold ${p.invalid} invalid Telnet command(s); not judged as Telnet`, { received: summarizeBytes(first) })];
        }
        // Servers open with negotiation, or with a readable banner around it; random bytes that
        // happen to hold a valid IAC triple have neither.
        if (first[0] !== 0xff && !mostlyReadable(p.text)) {
          return [verdict(id, 'error', 'option commands appear inside unreadable bytes; not judged as Telnet', { received: summarizeBytes(first) })];
        }
        // Refuse what it asked, then read a little more for the banner/prompt text (evidence only).
        let prompt = p.text;
        try {
          const refusal = refuseAll(p.negotiations);
          if (refusal.length) await s.write(refusal);
          for (let i = 0; i < 4 && prompt.length < 200 && !d.expired; i++) {
            const more = await s.peek(d.left(800));
            if (more.length === 0) break;
            const q = parseTelnet(more.subarray(0, 4096));
            prompt = Buffer.concat([prompt, q.text]);
            const again = refuseAll(q.negotiations);
            if (again.length) await s.write(again);
          }
        } catch (e) {
          if (!(e instanceof IoError)) throw e;
        }
        const text = prompt.toString('latin1').replace(/\s+/g, ' ').trim();
        const encrypt = p.negotiations.some((n) => n.option === 38)
          ? ` (it offers the ENCRYPT option, but a client that declines it, as we did, ${text ? 'got the prompt above in clear text' : 'is served in clear text'})`
          : '';
        return [
          verdict(id, 'fail', `Telnet answers with option negotiation${encrypt}`, {
            sent: 'nothing but refusals (DONT/WONT) of the options it asked for; no credentials',
            received: `${describeNegotiations(p)}${text ? `; text: ${JSON.stringify(text.slice(0, 120))}` : ''}`,
            items: [{ label: 'negotiation', value: describeNegotiations(p) }],
          }),
        ];
      });
    } catch (e) {
      return [errorVerdict(id, 'no Telnet negotiation could be read', e)];
    }
  },
});
