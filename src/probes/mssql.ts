// Probe `mssql`: a SQL Server answering TDS PRELOGIN (MS-TDS 2.2.6.5) from the network is an
// exposed database. Only ms-sql services are judged here; MySQL/MariaDB, PostgreSQL and Redis get
// the same finding id from the services catalog.
import type { Stream } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import type { CheckMeta, Verdict } from './define.js';
import { defineProbe, hexBytes } from './define.js';
import { ENCRYPTION_MODES, MAX_TDS_PACKET, encodePrelogin, parsePreloginResponse, sqlServerRelease, tdsPacketLength } from '../protocols/tds.js';

const MSSQL_CHECKS = [
  {
    id: 'database-exposed',
    title: 'Database server reachable from the network',
    severity: 'high',
    remediation:
      'Allow TCP 1433 (and UDP 1434, SQL Server Browser) in Windows Firewall only from the application servers that need it; in SQL Server Configuration Manager → Protocols for <instance> → TCP/IP set ' +
      'Listen All = No and enable only internal addresses, stop the SQL Server Browser service when no named instances are used, and set Force Encryption = Yes.',
    references: ['https://learn.microsoft.com/en-us/sql/sql-server/install/configure-the-windows-firewall-to-allow-sql-server-access'],
  },
] as const satisfies readonly CheckMeta[];

export const mssqlProbe = defineProbe({
  id: 'mssql',
  title: 'SQL Server reachable (TDS PRELOGIN)',
  protocol: 'tds',
  transport: 'tcp',
  ports: [1433],
  safety: 'safe',
  timeoutMs: 8_000,
  checks: MSSQL_CHECKS,
  appliesTo: (svc) => svc?.name === 'ms-sql',
  async run(ctx): Promise<Verdict[]> {
    const id = 'database-exposed';
    const sent = 'TDS PRELOGIN (VERSION, ENCRYPTION=ENCRYPT_ON, INSTOPT, THREADID, MARS)';
    const step = Math.max(200, Math.min(5_000, ctx.timeoutMs - 300));
    let stream: Stream | undefined;
    try {
      stream = await ctx.io.connect(ctx.address, ctx.port, { timeoutMs: step, signal: ctx.signal });
      await stream.write(encodePrelogin());
      const raw = await stream.readMessage(tdsPacketLength, step, MAX_TDS_PACKET);
      const r = parsePreloginResponse(raw);
      if (!r.ok) return [{ check: id, status: 'error', evidence: { summary: `unreadable PRELOGIN answer: ${r.error}`, sent, received: hexBytes(raw) } }];
      const enc = r.value.encryption;
      const encText = enc === undefined ? 'not stated' : (ENCRYPTION_MODES[enc] ?? String(enc));
      const release = r.value.version ? sqlServerRelease(r.value.version) : undefined;
      const warn = enc === 2 ? '; the server cannot encrypt, so logins cross the network unprotected' : enc === 0 ? '; only the login packet is encrypted' : '';
      return [
        {
          check: id,
          status: 'fail',
          evidence: {
            summary: `Microsoft SQL Server ${r.value.version ?? ''}${release ? ` (SQL Server ${release})` : ''} answers PRELOGIN on TCP ${ctx.port}; encryption ${encText}${warn}`,
            sent,
            received: hexBytes(raw),
            items: [
              { label: 'version', value: r.value.version ?? null },
              { label: 'ENCRYPTION', value: encText },
              ...(r.value.instance ? [{ label: 'instance', value: r.value.instance }] : []),
            ],
          },
        },
      ];
    } catch (e) {
      const partial = e instanceof IoError && e.partial?.length ? hexBytes(e.partial) : undefined;
      return [{ check: id, status: 'error', evidence: { summary: `PRELOGIN exchange failed: ${e instanceof IoError ? `${e.kind}: ` : ''}${(e as Error).message}`, sent, ...(partial ? { received: partial } : {}) } }];
    } finally {
      stream?.close();
    }
  },
});
