// FTP (RFC 959): anonymous login and TLS support (RFC 4217 AUTH TLS, advertised in FEAT per RFC 2389).
// Anonymous login is what any FTP client may try; nothing is listed, read or written after it.
// When AUTH TLS works, the shared TLS checks (probes/tls.ts) run on connections upgraded after it.
import type { Stream } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import type { NumericReply } from '../protocols/ftp.js';
import { featuresOfferTls, ftpCommand, parseFeatures, readFtpReply } from '../protocols/ftp.js';
import { MalformedReply } from '../protocols/malformed.js';
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe } from './define.js';
import { Deadline, errorVerdict, verdict, withConnection } from './service-common.js';
import { TLS_CHECKS, tlsChecks } from './tls.js';

const FTP_SERVICE = 'disable the FTP Server role service if the host does not need it (Stop-Service FTPSVC; Set-Service FTPSVC -StartupType Disabled; on IIS 6 MSFTPSVC)';

export const FTP_ANONYMOUS: CheckMeta = {
  id: 'ftp-anonymous-login',
  title: 'FTP accepts anonymous login',
  severity: 'high',
  remediation:
    `Turn anonymous access off: IIS Manager → FTP site → FTP Authentication → Anonymous Authentication → Disable ` +
    `(system.applicationHost/sites/site/ftpServer/security/authentication/anonymousAuthentication enabled="false"), or ${FTP_SERVICE}.`,
  references: ['https://www.rfc-editor.org/rfc/rfc1635', 'https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/sites/site/ftpserver/security/authentication/anonymousauthentication'],
};

export const FTP_CLEARTEXT: CheckMeta = {
  id: 'ftp-cleartext',
  title: 'FTP offers no TLS (AUTH TLS): credentials and data travel in clear text',
  severity: 'medium',
  remediation:
    'Bind a certificate and require TLS: IIS Manager → FTP site → FTP SSL Settings → "Require SSL connections" ' +
    `(ftpServer/security/ssl controlChannelPolicy="SslRequire" dataChannelPolicy="SslRequire"), or ${FTP_SERVICE}.`,
  references: ['https://www.rfc-editor.org/rfc/rfc4217', 'https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/sites/site/ftpserver/security/ssl'],
};

/** A reserved-domain address, as RFC 1635 asks anonymous users to give an e-mail address. */
const ANON_PASSWORD = 'portcullis@example.org';

function replyText(r: NumericReply): string {
  return `${r.code} ${r.lines.join(' / ')}`.slice(0, 160);
}

async function greeting(s: Stream, d: Deadline): Promise<NumericReply> {
  const g = await readFtpReply(s, d.left(6_000));
  if (g.code === 120) return readFtpReply(s, d.left(6_000)); // "ready in n minutes", then 220
  return g;
}

function notReady(g: NumericReply): MalformedReply | null {
  if (g.code >= 200 && g.code < 300) return null;
  return new MalformedReply('ftp', `the server did not accept the session: ${replyText(g)}`);
}

async function quit(s: Stream): Promise<void> {
  try {
    await s.write('QUIT\r\n');
  } catch {
    /* the verdict is already decided; a failed goodbye changes nothing */
  }
}

async function checkAnonymous(ctx: ProbeContext, d: Deadline): Promise<Verdict> {
  const id = FTP_ANONYMOUS.id;
  const log: string[] = [];
  try {
    return await withConnection(ctx, d, async (s) => {
      const g = await greeting(s, d);
      log.push(`greeting ${replyText(g)}`);
      const bad = notReady(g);
      if (bad) throw bad;
      const user = await ftpCommand(s, 'USER anonymous', d.left(6_000));
      log.push(`USER anonymous → ${replyText(user)}`);
      let final = user;
      if (user.code === 331 || user.code === 332) {
        final = await ftpCommand(s, `PASS ${ANON_PASSWORD}`, d.left(6_000));
        log.push(`PASS ${ANON_PASSWORD} → ${replyText(final)}`);
      }
      await quit(s);
      const sent = `USER anonymous${user.code === 331 || user.code === 332 ? `, PASS ${ANON_PASSWORD}` : ''}`;
      const items = [{ label: 'deciding reply', value: replyText(final) }];
      if (final.code >= 200 && final.code < 300) return verdict(id, 'fail', `anonymous login accepted (${final.code})`, { sent, received: log.join('; '), items });
      if (final.code >= 500) return verdict(id, 'pass', `anonymous login refused (${final.code})`, { sent, received: log.join('; '), items });
      return verdict(id, 'error', `no decision from reply ${final.code} (temporary or unexpected)`, { sent, received: log.join('; '), items });
    });
  } catch (e) {
    return errorVerdict(id, `anonymous login exchange broke off${log.length ? ` after: ${log.join('; ')}` : ''}`, e, 'USER anonymous');
  }
}

interface TlsSupport {
  verdict: Verdict;
  authTls: boolean;
}

async function checkTls(ctx: ProbeContext, d: Deadline): Promise<TlsSupport> {
  const id = FTP_CLEARTEXT.id;
  const log: string[] = [];
  try {
    return await withConnection(ctx, d, async (s) => {
      const g = await greeting(s, d);
      log.push(`greeting ${replyText(g)}`);
      const bad = notReady(g);
      if (bad) throw bad;
      const feat = await ftpCommand(s, 'FEAT', d.left(6_000));
      const features = parseFeatures(feat);
      log.push(`FEAT → ${feat.code}${features.length ? ` (${features.join(', ').slice(0, 200)})` : ''}`);
      let supported = featuresOfferTls(features);
      let decidedBy = supported ? 'FEAT lists AUTH TLS' : '';
      if (!supported) {
        // FEAT is optional (RFC 2389); ask AUTH TLS directly. 234 = go ahead with the handshake.
        const auth = await ftpCommand(s, 'AUTH TLS', d.left(6_000));
        log.push(`AUTH TLS → ${replyText(auth)}`);
        supported = auth.code === 234;
        decidedBy = `AUTH TLS answered ${auth.code}`;
        if (!supported && auth.code < 500) {
          return { authTls: false, verdict: verdict(id, 'error', `AUTH TLS answered ${auth.code}, neither accepted nor refused`, { sent: 'FEAT, AUTH TLS', received: log.join('; ') }) };
        }
      } else await quit(s);
      const sent = supported && decidedBy.startsWith('FEAT') ? 'FEAT' : 'FEAT, AUTH TLS';
      if (supported) return { authTls: true, verdict: verdict(id, 'pass', `TLS is offered: ${decidedBy}`, { sent, received: log.join('; ') }) };
      return { authTls: false, verdict: verdict(id, 'fail', `no TLS: FEAT does not list AUTH TLS and ${decidedBy}`, { sent, received: log.join('; ') }) };
    });
  } catch (e) {
    return { authTls: false, verdict: errorVerdict(id, `TLS support exchange broke off${log.length ? ` after: ${log.join('; ')}` : ''}`, e, 'FEAT') };
  }
}

export const ftpServer = defineProbe({
  id: 'ftp-server',
  title: 'FTP anonymous login and TLS (AUTH TLS)',
  protocol: 'ftp',
  transport: 'tcp',
  ports: [21],
  safety: 'safe',
  timeoutMs: 45_000,
  checks: [FTP_ANONYMOUS, FTP_CLEARTEXT, ...TLS_CHECKS],
  appliesTo: (service) => service?.name === 'ftp' && !service.tls,
  async run(ctx): Promise<Verdict[]> {
    const d = new Deadline(Math.min(ctx.timeoutMs, 15_000));
    const [anon, tls] = await Promise.all([checkAnonymous(ctx, d), checkTls(ctx, d)]);
    const out = [anon, tls.verdict];
    if (tls.authTls) {
      const tlsBudget = new Deadline(ctx.timeoutMs - 15_000 > 5_000 ? ctx.timeoutMs - 15_000 : 5_000);
      out.push(
        ...(await tlsChecks(
          { ...ctx, timeoutMs: tlsBudget.left() },
          {
            via: 'after FTP AUTH TLS',
            open: async () => {
              const s = await ctx.io.connect(ctx.address, ctx.port, { timeoutMs: tlsBudget.left(5_000), signal: ctx.signal });
              try {
                const g = await greeting(s, tlsBudget);
                const bad = notReady(g);
                if (bad) throw new IoError('other', bad.message);
                const auth = await ftpCommand(s, 'AUTH TLS', tlsBudget.left(5_000));
                if (auth.code !== 234) throw new IoError('other', `AUTH TLS answered ${replyText(auth)}`);
                return s;
              } catch (e) {
                s.close();
                if (e instanceof MalformedReply) throw new IoError('other', e.message);
                throw e;
              }
            },
          },
        )),
      );
    }
    return out;
  },
});
