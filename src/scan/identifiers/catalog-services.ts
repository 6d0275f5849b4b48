// Identifiers for the other services (HTTP, SSH, FTP, SMTP, POP3, IMAP, Telnet, MySQL, PostgreSQL,
// Redis, VNC, DNS over TCP, WinRM). A matcher names a service only when the bytes follow that
// protocol's grammar; product and version only when the service states them. Codec errors mean
// "not this protocol" (null), never a guess from the port number.
import type { ServiceInfo } from '../../core/result.js';
import type { Stream } from '../../io/transport.js';
import type { ActiveIdentifier, GreetingMatcher, IdentifyContext } from '../identify.js';
import { MalformedReply } from '../../protocols/malformed.js';
import { httpExchange, headerValue, type HttpResponse } from '../../protocols/http.js';
import { parseSshIdentification } from '../../protocols/ssh.js';
import { FTP, ftpProduct, numericReplyLength, parseNumericReply } from '../../protocols/ftp.js';
import { SMTP, smtpProduct } from '../../protocols/smtp.js';
import { parsePop3Status } from '../../protocols/pop3.js';
import { parseImapGreeting } from '../../protocols/imap.js';
import { isTelnetNegotiation, parseTelnet, describeNegotiations } from '../../protocols/telnet.js';
import { mysqlPacketLength, parseMysqlFirstPacket } from '../../protocols/mysql.js';
import { parseRfbVersion } from '../../protocols/rfb.js';
import { SSL_REQUEST, startupMessage, backendMessageLength, parseBackendMessage, describeBackend } from '../../protocols/postgres.js';
import { command as redisCommand, respLength, parseResp, parseInfo } from '../../protocols/redis.js';
import { encodeQuery, frameTcp, randomId, readTcpMessage, sameName } from '../../protocols/dns.js';

function found(name: string, method: ServiceInfo['method'], facts: { product?: string | undefined; version?: string | undefined; evidence?: string; extra?: Record<string, string> }): ServiceInfo {
  return {
    name,
    tls: false,
    method,
    ...(facts.product ? { product: facts.product } : {}),
    ...(facts.version ? { version: facts.version } : {}),
    ...(facts.evidence ? { evidence: facts.evidence } : {}),
    ...(facts.extra && Object.keys(facts.extra).length ? { extra: facts.extra } : {}),
  };
}

function firstLine(buf: Buffer): string {
  const nl = buf.indexOf(0x0a);
  return buf.subarray(0, nl < 0 ? Math.min(buf.length, 256) : Math.min(nl, 256)).toString('latin1').replace(/\r$/, '');
}

/** Run a codec; its MalformedReply (or a RangeError from odd input) means "not this protocol". */
function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MalformedReply || e instanceof RangeError) return null;
    throw e;
  }
}

// ---- Greetings (the server speaks first) ------------------------------------------------------

const ssh: GreetingMatcher = {
  name: 'ssh',
  match(greeting) {
    const id = attempt(() => parseSshIdentification(greeting));
    if (!id) return null;
    return found('ssh', 'banner', {
      product: id.product,
      version: id.version,
      evidence: id.line.slice(0, 120),
      extra: { protocol: id.protoVersion, ...(id.comments ? { comments: id.comments.slice(0, 80) } : {}) },
    });
  },
};

/** Words that tell an SMTP 220 greeting from an FTP one (RFC 5321 §4.3.1 asks servers to name SMTP). */
const SMTP_WORDS = /\b(E?SMTP|Postfix|Exim|Sendmail|Mail Service|MAIL|mailer|OpenSMTPD|Exchange)\b/i;
const FTP_WORDS = /\b(FTP|vsFTPd|ProFTPD|FileZilla|Pure-FTPd|Serv-U)/i;
const SMTP_PORTS = new Set([25, 465, 587, 2525]);
const FTP_PORTS = new Set([21, 990, 2121]);

/**
 * FTP and SMTP share the `220 text` greeting (RFC 959 / RFC 5321). The text decides; when it names
 * neither, the conventional port does (a 220 greeting is certainly one of the two), else unknown.
 */
const ftpOrSmtp: GreetingMatcher = {
  name: 'ftp/smtp',
  match(greeting, ctx) {
    const len = attempt(() => numericReplyLength(greeting, FTP));
    if (!len) return null;
    const reply = parseNumericReply(greeting.subarray(0, len), FTP);
    if (reply.code !== 220 && reply.code !== 421 && reply.code !== 554 && reply.code !== 120) return null;
    const text = reply.lines.join(' ');
    const evidence = firstLine(greeting).slice(0, 120);
    const isSmtp = SMTP_WORDS.test(text) && !FTP_WORDS.test(text);
    const isFtp = FTP_WORDS.test(text) && !isSmtp;
    if (isSmtp || (!isFtp && SMTP_PORTS.has(ctx.port))) {
      // A multi-line SMTP greeting must code every line (RFC 5321 §4.2.1).
      if (attempt(() => numericReplyLength(greeting, SMTP)) === null) return null;
      return found('smtp', 'banner', { ...smtpProduct(text), evidence });
    }
    if (isFtp || FTP_PORTS.has(ctx.port)) return found('ftp', 'banner', { ...ftpProduct(text), evidence });
    return null;
  },
};

const pop3: GreetingMatcher = {
  name: 'pop3',
  match(greeting) {
    const line = firstLine(greeting);
    if (!greeting.includes(0x0a)) return null;
    const st = attempt(() => parsePop3Status(line));
    if (!st) return null;
    const product = /\bDovecot\b/i.test(st.text) ? 'Dovecot' : /\bMicrosoft Exchange\b/i.test(st.text) ? 'Microsoft Exchange' : undefined;
    return found('pop3', 'banner', { product, evidence: line.slice(0, 120) });
  },
};

const imap: GreetingMatcher = {
  name: 'imap',
  match(greeting) {
    if (!greeting.includes(0x0a)) return null;
    const line = firstLine(greeting);
    const g = attempt(() => parseImapGreeting(line));
    if (!g) return null;
    if (!g.capabilities.some((c) => c.startsWith('IMAP4')) && !/\bIMAP/i.test(g.text)) return null;
    const product = /\bDovecot\b/i.test(line) ? 'Dovecot' : /\bMicrosoft Exchange\b/i.test(line) ? 'Microsoft Exchange' : undefined;
    return found('imap', 'banner', { product, evidence: line.slice(0, 120), ...(g.status === 'PREAUTH' ? { extra: { greeting: 'PREAUTH' } } : {}) });
  },
};

const telnet: GreetingMatcher = {
  name: 'telnet',
  match(greeting) {
    if (!isTelnetNegotiation(greeting)) return null;
    return found('telnet', 'banner', { evidence: `IAC negotiation: ${describeNegotiations(parseTelnet(greeting.subarray(0, 512)))}` });
  },
};

const mysql: GreetingMatcher = {
  name: 'mysql',
  match(greeting) {
    const len = attempt(() => mysqlPacketLength(greeting));
    if (!len) return null;
    const p = attempt(() => parseMysqlFirstPacket(greeting.subarray(0, len)));
    if (!p) return null;
    if (p.kind === 'error') {
      // An ERR packet as the very first packet with a MySQL error number (1xxx/2xxx) is still MySQL.
      if (p.code < 1000 || p.code > 4999 || !/^[\x09\x0a\x0d\x20-\x7e]*$/.test(p.message)) return null;
      return found('mysql', 'banner', { evidence: `ERR ${p.code}: ${p.message.slice(0, 100)}` });
    }
    return found('mysql', 'banner', {
      product: p.product,
      version: p.version,
      evidence: `protocol ${p.protocolVersion} greeting, server version ${p.serverVersion}`,
      extra: { serverVersion: p.serverVersion },
    });
  },
};

const vnc: GreetingMatcher = {
  name: 'vnc',
  match(greeting) {
    const v = attempt(() => parseRfbVersion(greeting));
    if (!v) return null;
    return found('vnc', 'banner', { product: 'RFB', version: `${v.major}.${v.minor}`, evidence: v.raw });
  },
};

export const SERVICE_GREETINGS: readonly GreetingMatcher[] = [ssh, ftpOrSmtp, pop3, imap, telnet, mysql, vnc];

// ---- Active identifiers (the client speaks first) ---------------------------------------------

function hostHeader(ctx: IdentifyContext): string {
  const h = ctx.hostName ?? ctx.address;
  const bracket = h.includes(':') ? `[${h}]` : h;
  const standard = ctx.insideTls ? 443 : 80;
  return ctx.port === standard ? bracket : `${bracket}:${ctx.port}`;
}

/** `nginx/1.22.1` → nginx 1.22.1; `Microsoft-IIS/10.0` → Microsoft-IIS 10.0; `Apache` → Apache. */
export function serverProduct(server: string | undefined): { product?: string; version?: string } {
  if (!server) return {};
  const first = server.trim().split(/\s+/)[0] ?? '';
  const m = /^([^/\s]+)\/(\d[\w.\-]*)/.exec(first);
  if (m) return { product: m[1] as string, version: m[2] as string };
  return first ? { product: first.slice(0, 60) } : {};
}

const http: ActiveIdentifier = {
  name: 'http',
  ports: [80, 443, 8000, 8008, 8080, 8081, 8443, 8888],
  order: 10,
  insideTls: true,
  async identify(stream, ctx) {
    const res = await attemptAsync(() => httpExchange(stream, { method: 'GET', path: '/', host: hostHeader(ctx) }, ctx.timeoutMs, 16 * 1024));
    if (!res) return null;
    const server = headerValue(res, 'server');
    return found('http', 'handshake', {
      ...serverProduct(server),
      evidence: `GET / → ${res.status}${server ? `, Server: ${server.slice(0, 80)}` : ''}`,
    });
  },
};

async function attemptAsync<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof MalformedReply || e instanceof RangeError) return null;
    throw e;
  }
}

/** WS-Management listener (HTTP.sys): /wsman answers POST with 401/415 and GET with 405 (MS-WSMV). */
export function looksLikeWinrm(res: HttpResponse): boolean {
  const server = headerValue(res, 'server') ?? '';
  if (!/^Microsoft-HTTPAPI\/2\.0$/i.test(server.trim())) return false;
  // 401 (authentication asked, POST), 405 (GET on the listener), 415 (POST without a SOAP body type).
  return res.status === 401 || res.status === 405 || res.status === 415;
}

const winrm: ActiveIdentifier = {
  name: 'winrm',
  ports: [5985, 5986],
  order: 90,
  insideTls: true,
  async identify(stream, ctx) {
    const res = await attemptAsync(() =>
      httpExchange(
        stream,
        { method: 'POST', path: '/wsman', host: hostHeader(ctx), headers: [['Content-Type', 'application/soap+xml;charset=UTF-8']], body: '' },
        ctx.timeoutMs,
        16 * 1024,
      ),
    );
    if (!res || !looksLikeWinrm(res)) return null;
    const auth = headerValue(res, 'www-authenticate');
    return found('winrm', 'handshake', {
      product: 'Microsoft WinRM',
      evidence: `POST /wsman → ${res.status}, Server: ${headerValue(res, 'server')}${auth ? `, WWW-Authenticate: ${auth.slice(0, 60)}` : ''}`,
    });
  },
};

/** Length of a backend message whose type byte was already read (Int32 length counts itself). */
function lengthAfterTag(b: Buffer): number {
  if (b.length < 4) return 0;
  const len = b.readInt32BE(0);
  if (len < 4 || len > 64 * 1024) throw MalformedReply.of('postgres', `message claims length ${len}`, b.subarray(0, 16));
  return b.length >= len ? len : 0;
}

const postgres: ActiveIdentifier = {
  name: 'postgresql',
  ports: [5432],
  order: 70,
  insideTls: false,
  async identify(stream, ctx) {
    const deadline = Date.now() + ctx.timeoutMs;
    const left = (): number => Math.max(1, deadline - Date.now());
    await stream.write(SSL_REQUEST);
    const answer = await stream.readExactly(1, left());
    const byte = String.fromCharCode(answer[0] as number);
    let ssl: string;
    if (byte === 'S') {
      // The answer must be exactly one byte; TLS then starts, and the startup goes inside it.
      const extra = await stream.peek(Math.min(150, left()));
      if (extra.length > 0) return null;
      await stream.startTls({ timeoutMs: left() });
      ssl = 'supported';
    } else if (byte === 'N') {
      const extra = await stream.peek(Math.min(150, left()));
      if (extra.length > 0) return null;
      ssl = 'not supported';
    } else if (byte === 'E') {
      // Servers before 7.0 answer an unknown SSLRequest with an ErrorResponse.
      const rest = await attemptAsync(() => stream.readMessage(lengthAfterTag, left(), 64 * 1024));
      const msg = rest ? attempt(() => parseBackendMessage(Buffer.concat([answer, rest]))) : null;
      if (!msg || msg.type !== 'E') return null;
      return found('postgresql', 'handshake', { product: 'PostgreSQL', evidence: `SSLRequest → ${describeBackend(msg)}` });
    } else return null;
    await stream.write(startupMessage({ user: 'portcullis', database: 'portcullis', application_name: 'portcullis' }));
    const raw = await attemptAsync(() => stream.readMessage(backendMessageLength, left(), 64 * 1024));
    const msg = raw ? attempt(() => parseBackendMessage(raw)) : null;
    if (!msg || msg.type === 'other') return null;
    return found('postgresql', 'handshake', {
      product: 'PostgreSQL',
      evidence: `SSLRequest → '${byte}'; StartupMessage → ${describeBackend(msg)}`.slice(0, 200),
      extra: { ssl },
    });
  },
};

const redis: ActiveIdentifier = {
  name: 'redis',
  ports: [6379],
  order: 60,
  insideTls: true,
  async identify(stream, ctx) {
    const deadline = Date.now() + ctx.timeoutMs;
    await stream.write(redisCommand('PING'));
    const raw = await attemptAsync(() => stream.readMessage(respLength, ctx.timeoutMs, 64 * 1024));
    const r = raw ? attempt(() => parseResp(raw)) : null;
    if (!r) return null;
    const v = r.value;
    const pong = v.type === 'simple' && v.value === 'PONG';
    const refusal = v.type === 'error' && /^(NOAUTH|DENIED|ERR operation not permitted|ERR Client sent AUTH|WRONGPASS)/.test(v.value);
    if (!pong && !refusal) return null;
    if (!pong) return found('redis', 'handshake', { product: 'Redis', evidence: `PING → -${v.value.slice(0, 100)}` });
    // Open server: INFO server tells the version (read-only command).
    await stream.write(redisCommand('INFO', 'server'));
    const infoRaw = await attemptAsync(() => stream.readMessage(respLength, Math.max(1, deadline - Date.now()), 64 * 1024));
    const info = infoRaw ? attempt(() => parseResp(infoRaw)) : null;
    const version = info?.value.type === 'bulk' && info.value.value ? parseInfo(info.value.value).get('redis_version') : undefined;
    return found('redis', 'handshake', { product: 'Redis', version, evidence: 'PING → +PONG (no authentication asked)' });
  },
};

const dnsTcp: ActiveIdentifier = {
  name: 'dns',
  ports: [53],
  order: 80,
  insideTls: false,
  async identify(stream, ctx) {
    // A query for the root's NS without recursion: any DNS server answers it somehow (referral,
    // REFUSED…), and the answer must echo our id and question.
    const q = { id: randomId(), name: '', type: 'NS' as const, rd: false };
    await stream.write(frameTcp(encodeQuery(q)));
    const msg = await attemptAsync(() => readTcpMessage(stream, ctx.timeoutMs));
    if (!msg || !msg.qr || msg.id !== q.id) return null;
    const echoed = msg.questions[0];
    if (echoed && (!sameName(echoed.name, '') || echoed.type !== 'NS')) return null;
    return found('dns', 'handshake', { evidence: `TCP query . NS → ${msg.rcode}${msg.aa ? ', authoritative' : ''}${msg.ra ? ', recursion available' : ''}` });
  },
};

export const SERVICE_ACTIVE: readonly ActiveIdentifier[] = [http, winrm, redis, postgres, dnsTcp];

