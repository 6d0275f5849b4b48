// SMTP open relay (intrusive, PROTOCOLS.md §Others): EHLO, MAIL FROM an outside address, RCPT TO
// another outside address, both in the reserved example domains (RFC 2606) so nothing can be
// delivered anywhere; 250/251 to RCPT means the server would relay. DATA is never sent; the
// transaction is reset and the session closed.
import type { Stream } from '../io/transport.js';
import type { NumericReply } from '../protocols/ftp.js';
import { ehlo, readSmtpReply, smtpCommand } from '../protocols/smtp.js';
import { MalformedReply } from '../protocols/malformed.js';
import type { CheckMeta, Verdict } from './define.js';
import { defineProbe } from './define.js';
import { Deadline, errorVerdict, randomToken, verdict, withConnection } from './service-common.js';

export const SMTP_OPEN_RELAY: CheckMeta = {
  id: 'smtp-open-relay',
  title: 'SMTP server relays mail between outside addresses without authentication',
  severity: 'critical',
  remediation:
    'IIS SMTP: Virtual Server Properties → Access → Relay → "Only the list below" with no entries (and "Allow all computers which successfully authenticate" only if needed); ' +
    'Exchange: remove Ms-Exch-SMTP-Accept-Any-Recipient from anonymous receive connectors; or disable the SMTPSVC service where no mail is sent.',
  references: ['https://www.rfc-editor.org/rfc/rfc5321#section-7.1', 'https://www.rfc-editor.org/rfc/rfc2505'],
};

const CLIENT_NAME = 'portcullis.example.org';

function replyText(r: NumericReply): string {
  return `${r.code} ${r.lines.join(' / ')}`.slice(0, 160);
}

async function goodbye(s: Stream): Promise<void> {
  try {
    await s.write('RSET\r\nQUIT\r\n');
  } catch {
    /* decided already */
  }
}

export const smtpRelay = defineProbe({
  id: 'smtp-relay',
  title: 'SMTP open relay (MAIL FROM/RCPT TO outside domains, no DATA)',
  protocol: 'smtp',
  transport: 'tcp',
  ports: [25, 587],
  safety: 'intrusive',
  timeoutMs: 20_000,
  checks: [SMTP_OPEN_RELAY],
  appliesTo: (service) => service?.name === 'smtp' && !service.tls,
  async run(ctx): Promise<Verdict[]> {
    const id = SMTP_OPEN_RELAY.id;
    const d = new Deadline(ctx.timeoutMs);
    const log: string[] = [];
    const from = `portcullis-${randomToken(4)}@example.org`;
    const to = `relay-test-${randomToken(4)}@example.net`;
    try {
      return await withConnection(ctx, d, async (s) => {
        const g = await readSmtpReply(s, d.left(8_000));
        log.push(`greeting ${replyText(g)}`);
        if (g.code !== 220) throw new MalformedReply('smtp', `the server did not accept the session: ${replyText(g)}`);
        const hello = await ehlo(s, CLIENT_NAME, d.left(6_000));
        log.push(`EHLO ${CLIENT_NAME} → ${hello.reply.code}`);
        const mail = await smtpCommand(s, `MAIL FROM:<${from}>`, d.left(6_000));
        log.push(`MAIL FROM:<${from}> → ${replyText(mail)}`);
        const sentBase = `EHLO ${CLIENT_NAME}, MAIL FROM:<${from}>`;
        if (mail.code >= 500) {
          await goodbye(s);
          return [verdict(id, 'pass', `the outside sender is refused (${mail.code}), so nothing can be relayed`, { sent: sentBase, received: log.join('; ') })];
        }
        if (mail.code !== 250) {
          await goodbye(s);
          return [verdict(id, 'error', `MAIL FROM answered ${mail.code} (temporary or unexpected); cannot decide`, { sent: sentBase, received: log.join('; ') })];
        }
        const rcpt = await smtpCommand(s, `RCPT TO:<${to}>`, d.left(8_000));
        log.push(`RCPT TO:<${to}> → ${replyText(rcpt)}`);
        await goodbye(s);
        const sent = `${sentBase}, RCPT TO:<${to}>, RSET, QUIT (no DATA)`;
        const items = [{ label: 'RCPT TO reply', value: replyText(rcpt) }];
        if (rcpt.code === 250 || rcpt.code === 251) {
          return [verdict(id, 'fail', `RCPT TO an outside domain accepted (${rcpt.code}) for an outside sender without authentication`, { sent, received: log.join('; '), items })];
        }
        if (rcpt.code >= 500) return [verdict(id, 'pass', `relaying refused (${rcpt.code})`, { sent, received: log.join('; '), items })];
        // A temporary code that names the relay refusal (Postfix defer_unauth_destination: "454 4.7.1
        // … Relay access denied") is a refusal too; other 4xx (greylisting, lookups) decide nothing.
        if (/\brelay\b.*\b(denied|not permitted|prohibited|refused)\b|\brelaying\b.*\b(denied|not allowed)\b/i.test(rcpt.lines.join(' '))) {
          return [verdict(id, 'pass', `relaying refused (${rcpt.code}, deferred as a relay refusal)`, { sent, received: log.join('; '), items })];
        }
        return [verdict(id, 'error', `RCPT TO answered ${rcpt.code} (temporary: greylisting, a lookup failure…); cannot decide`, { sent, received: log.join('; '), items })];
      });
    } catch (e) {
      return [errorVerdict(id, `the SMTP dialogue broke off${log.length ? ` after: ${log.join('; ')}` : ''}`, e)];
    }
  },
});
