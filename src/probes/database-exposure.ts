// Databases reachable from the scanning position (MySQL/MariaDB, PostgreSQL, Redis; SQL Server is
// judged by its own probe under the same finding id). A server that offers us a login — a protocol-10
// greeting, an authentication request, a PONG — is exposed; one that turns our address away before
// authentication (MySQL error 1130, PostgreSQL "no pg_hba.conf entry", Redis protected mode) is not.
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe } from './define.js';
import { CLIENT_SSL, mysqlPacketLength, parseMysqlFirstPacket } from '../protocols/mysql.js';
import { SSL_REQUEST, backendMessageLength, describeBackend, parseBackendMessage, startupMessage } from '../protocols/postgres.js';
import { command as redisCommand, parseInfo, parseResp, respLength } from '../protocols/redis.js';
import { MalformedReply } from '../protocols/malformed.js';
import { IoError } from '../io/transport.js';
import { Deadline, errorVerdict, verdict, withConnection } from './service-common.js';

export const DATABASE_EXPOSED: CheckMeta = {
  id: 'database-exposed',
  title: 'Database server reachable from the network',
  severity: 'high',
  remediation:
    'Let only the application hosts reach the database: a Windows Firewall inbound rule for the database port limited to their addresses ' +
    '(New-NetFirewallRule -LocalPort <port> -RemoteAddress <app hosts>), bind the server to an internal address (MySQL bind-address, ' +
    'PostgreSQL listen_addresses + pg_hba.conf, Redis bind + protected-mode + requirepass/ACLs).',
  references: ['https://learn.microsoft.com/en-us/windows/security/operating-system-security/network-security/windows-firewall/'],
};

type Judge = (ctx: ProbeContext, d: Deadline) => Promise<Verdict>;

const mysql: Judge = (ctx, d) =>
  withConnection(ctx, d, async (s) => {
    const id = DATABASE_EXPOSED.id;
    const packet = await s.readMessage(mysqlPacketLength, d.left(6_000), 16 * 1024 + 4);
    const p = parseMysqlFirstPacket(packet);
    const sent = 'nothing (MySQL servers speak first)';
    if (p.kind === 'error') {
      const received = `ERR ${p.code}: ${p.message.slice(0, 140)}`;
      if (p.code === 1130) return verdict(id, 'pass', 'the server turns this address away before authentication (error 1130, host not allowed)', { sent, received });
      return verdict(id, 'error', `the server answered with error ${p.code} instead of a greeting; cannot decide`, { sent, received });
    }
    const items = [
      { label: 'server version', value: p.serverVersion },
      { label: 'TLS capability (CLIENT_SSL)', value: (p.capabilities & CLIENT_SSL) !== 0 },
      ...(p.authPlugin ? [{ label: 'authentication plugin', value: p.authPlugin }] : []),
    ];
    return verdict(id, 'fail', `${p.product} ${p.version} offers a login to this address (protocol ${p.protocolVersion} greeting)`, {
      sent,
      received: `greeting: version ${p.serverVersion}, connection id ${p.connectionId}, capabilities 0x${p.capabilities.toString(16)}`,
      items,
    });
  });

const postgres: Judge = async (ctx, d) => {
  const id = DATABASE_EXPOSED.id;
  // First connection: does it speak TLS? Second (plain or inside TLS): the startup answer decides.
  const ssl = await withConnection(ctx, d, async (s) => {
    await s.write(SSL_REQUEST);
    const b = await s.readExactly(1, d.left(5_000));
    return String.fromCharCode(b[0] as number);
  });
  if (ssl !== 'S' && ssl !== 'N') throw MalformedReply.of('postgres', `SSLRequest answered with ${JSON.stringify(ssl)}, not 'S' or 'N'`);
  return withConnection(ctx, d, async (s) => {
    if (ssl === 'S') {
      await s.write(SSL_REQUEST);
      await s.readExactly(1, d.left(5_000));
      await s.startTls({ timeoutMs: d.left(5_000) });
    }
    await s.write(startupMessage({ user: 'portcullis', database: 'portcullis', application_name: 'portcullis' }));
    const raw = await s.readMessage(backendMessageLength, d.left(6_000), 64 * 1024);
    const m = parseBackendMessage(raw);
    const sent = `SSLRequest (answer '${ssl}')${ssl === 'S' ? ', TLS,' : ','} StartupMessage user=portcullis`;
    const received = describeBackend(m);
    if (m.type === 'R') {
      const how = m.code === 0 ? 'lets us in without any password' : `asks for ${m.method}`;
      return verdict(id, 'fail', `PostgreSQL offers a login to this address: it ${how}`, { sent, received });
    }
    if (m.type === 'E') {
      const code = m.fields['C'] ?? '';
      const msg = m.fields['M'] ?? '';
      if (code === '28000' && /pg_hba\.conf/i.test(msg)) return verdict(id, 'pass', 'PostgreSQL turns this address away before authentication (pg_hba.conf has no entry for it)', { sent, received });
      if (code === '53300' || code === '57P03') return verdict(id, 'error', `PostgreSQL cannot take a connection now (${code}); cannot decide`, { sent, received });
      return verdict(id, 'fail', `PostgreSQL processed our startup for this address (${code || 'error'}: ${msg.slice(0, 80)})`, { sent, received });
    }
    return verdict(id, 'error', `unexpected answer to the startup message: ${received}`, { sent, received });
  });
};

const redis: Judge = (ctx, d) =>
  withConnection(ctx, d, async (s) => {
    const id = DATABASE_EXPOSED.id;
    await s.write(redisCommand('PING'));
    const raw = await s.readMessage(respLength, d.left(5_000), 64 * 1024);
    const r = parseResp(raw);
    if (!r) throw MalformedReply.of('redis', 'incomplete reply', raw);
    const v = r.value;
    const sent = 'PING';
    if (v.type === 'simple' && v.value === 'PONG') {
      // Open server: INFO server (read-only) for the version as evidence.
      let version = '';
      try {
        await s.write(redisCommand('INFO', 'server'));
        const info = parseResp(await s.readMessage(respLength, d.left(3_000), 256 * 1024 + 64));
        if (info?.value.type === 'bulk' && info.value.value) version = parseInfo(info.value.value).get('redis_version') ?? '';
      } catch (e) {
        if (!(e instanceof MalformedReply) && !(e instanceof IoError)) throw e;
      }
      return verdict(id, 'fail', `Redis${version ? ` ${version}` : ''} answers commands without authentication`, { sent: 'PING, INFO server', received: `+PONG${version ? `; redis_version:${version}` : ''}` });
    }
    if (v.type === 'error') {
      if (/^DENIED\b/.test(v.value)) return verdict(id, 'pass', 'Redis protected mode turns this address away', { sent, received: `-${v.value.slice(0, 140)}` });
      if (/^(NOAUTH|WRONGPASS)\b/.test(v.value) || /AUTH/.test(v.value)) return verdict(id, 'fail', 'Redis offers a password login to this address', { sent, received: `-${v.value.slice(0, 140)}` });
      return verdict(id, 'error', `Redis answered PING with an error; cannot decide`, { sent, received: `-${v.value.slice(0, 140)}` });
    }
    return verdict(id, 'error', 'PING got an answer that is neither PONG nor an error', { sent, received: JSON.stringify(v).slice(0, 140) });
  });

const JUDGES: Record<string, Judge> = { mysql, postgresql: postgres, redis };

export const databaseExposure = defineProbe({
  id: 'database-exposure',
  title: 'MySQL/MariaDB, PostgreSQL and Redis reachable from the network',
  protocol: 'database',
  transport: 'tcp',
  ports: [3306, 5432, 6379],
  safety: 'safe',
  timeoutMs: 15_000,
  checks: [DATABASE_EXPOSED],
  appliesTo: (service) => !!service && service.name in JUDGES,
  async run(ctx): Promise<Verdict[]> {
    const judge = JUDGES[ctx.service?.name ?? ''];
    if (!judge) return [];
    const d = new Deadline(ctx.timeoutMs);
    try {
      return [await judge(ctx, d)];
    } catch (e) {
      return [errorVerdict(DATABASE_EXPOSED.id, `the ${ctx.service?.name} exchange broke off`, e)];
    }
  },
});
