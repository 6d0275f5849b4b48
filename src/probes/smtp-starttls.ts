// TLS of an SMTP server after STARTTLS (RFC 3207): the shared TLS checks of probes/tls.ts, run on
// connections that have read the greeting, sent EHLO and had STARTTLS answered 220. A server that
// does not advertise STARTTLS gets no TLS verdicts (there is no TLS to judge).
import type { Verdict } from './define.js';
import { defineProbe } from './define.js';
import { ehlo, readSmtpReply, smtpCommand } from '../protocols/smtp.js';
import { IoError } from '../io/transport.js';
import { MalformedReply } from '../protocols/malformed.js';
import { Deadline, describeFailure, isExchangeFailure, withConnection } from './service-common.js';
import { TLS_CHECKS, tlsChecks } from './tls.js';

const CLIENT_NAME = 'portcullis.example.org';

export const smtpStartTls = defineProbe({
  id: 'smtp-starttls',
  title: 'TLS after SMTP STARTTLS',
  protocol: 'smtp',
  transport: 'tcp',
  ports: [25, 587],
  safety: 'safe',
  timeoutMs: 40_000,
  checks: TLS_CHECKS,
  appliesTo: (service) => service?.name === 'smtp' && !service.tls,
  async run(ctx): Promise<Verdict[]> {
    const d = new Deadline(ctx.timeoutMs);
    let offered: boolean;
    try {
      offered = await withConnection(ctx, d, async (s) => {
        const g = await readSmtpReply(s, d.left(8_000));
        if (g.code !== 220) throw new MalformedReply('smtp', `greeting ${g.code}`);
        const h = await ehlo(s, CLIENT_NAME, d.left(6_000));
        try {
          await s.write('QUIT\r\n');
        } catch {
          /* only the capability list mattered */
        }
        return h.capabilities.has('STARTTLS');
      });
    } catch (e) {
      if (!isExchangeFailure(e)) throw e;
      const why = `could not read the SMTP capabilities: ${describeFailure(e)}`;
      return TLS_CHECKS.map((c) => ({ check: c.id, status: 'error' as const, evidence: { summary: why } }));
    }
    if (!offered) return [];
    return tlsChecks(
      { ...ctx, timeoutMs: d.left() },
      {
        via: 'after SMTP STARTTLS',
        open: async () => {
          const s = await ctx.io.connect(ctx.address, ctx.port, { timeoutMs: d.left(5_000), signal: ctx.signal });
          try {
            const g = await readSmtpReply(s, d.left(6_000));
            if (g.code !== 220) throw new IoError('other', `greeting ${g.code}`);
            await ehlo(s, CLIENT_NAME, d.left(5_000));
            const st = await smtpCommand(s, 'STARTTLS', d.left(5_000));
            if (st.code !== 220) throw new IoError('other', `STARTTLS answered ${st.code}`);
            return s;
          } catch (e) {
            s.close();
            if (e instanceof MalformedReply) throw new IoError('other', e.message);
            throw e;
          }
        },
      },
    );
  },
});
