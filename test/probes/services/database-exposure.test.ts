// database-exposed for the verdicts no Debian package here can show: PostgreSQL and Redis (not
// installed) and MySQL's host refusal. The peers replay the exact messages those servers send
// (PostgreSQL protocol 3.0 messages, RESP replies, the MySQL ERR packet); the MariaDB greeting
// direction runs against the real server in real-services.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseExposure } from '../../../src/probes/database-exposure.js';
import { byId, runOne, scriptedServer, svc, type Conn } from './helpers.js';

function pgMessage(tag: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(tag, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

function pgError(code: string, message: string): Buffer {
  return pgMessage('E', Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`));
}

/** A PostgreSQL server without TLS that answers the StartupMessage with `answer`. */
function postgres(answer: Buffer) {
  return async (c: Conn): Promise<void> => {
    const first = await c.until(8);
    if (first.readInt32BE(4) === 80877103) {
      c.write('N');
      const head = await c.until(8);
      if (head.length < 8) return;
      await c.until(head.readInt32BE(0) - 8);
    } else await c.until(first.readInt32BE(0) - 8);
    c.write(answer);
  };
}

async function verdictOf(name: string, script: (c: Conn) => Promise<void> | void) {
  const srv = await scriptedServer(script);
  try {
    const { findings } = await runOne(databaseExposure, { address: srv.address, port: srv.port, service: svc(name) });
    return byId(findings, 'database-exposed');
  } finally {
    await srv.close();
  }
}

test('postgresql: an authentication request (SCRAM) → fail; trust (AuthenticationOk) → fail, says no password', async () => {
  const scram = await verdictOf('postgresql', postgres(pgMessage('R', Buffer.concat([Buffer.from([0, 0, 0, 10]), Buffer.from('SCRAM-SHA-256\0\0')]))));
  assert.equal(scram.status, 'fail');
  assert.match(scram.evidence.received ?? '', /SASL.*SCRAM-SHA-256/);
  const trust = await verdictOf('postgresql', postgres(pgMessage('R', Buffer.from([0, 0, 0, 0]))));
  assert.equal(trust.status, 'fail');
  assert.match(trust.evidence.summary, /without any password/);
});

test('postgresql: pg_hba.conf refusal → pass; a missing role (host allowed) → fail; too many clients → error', async () => {
  const hba = await verdictOf('postgresql', postgres(pgError('28000', 'no pg_hba.conf entry for host "127.13.0.1", user "portcullis", database "portcullis", no encryption')));
  assert.equal(hba.status, 'pass', JSON.stringify(hba.evidence));
  const role = await verdictOf('postgresql', postgres(pgError('28000', 'role "portcullis" does not exist')));
  assert.equal(role.status, 'fail');
  const busy = await verdictOf('postgresql', postgres(pgError('53300', 'sorry, too many clients already')));
  assert.equal(busy.status, 'error');
});

test('redis: PONG without auth → fail (with version); NOAUTH → fail; protected mode DENIED → pass', async () => {
  const open = await verdictOf('redis', async (c) => {
    await c.until('PING\r\n');
    c.write('+PONG\r\n');
    await c.until('server\r\n');
    const t = '# Server\r\nredis_version:7.0.15\r\n';
    c.write(`$${t.length}\r\n${t}\r\n`);
  });
  assert.equal(open.status, 'fail');
  assert.match(open.evidence.summary, /7\.0\.15.*without authentication/);
  const auth = await verdictOf('redis', async (c) => {
    await c.until('PING\r\n');
    c.write('-NOAUTH Authentication required.\r\n');
  });
  assert.equal(auth.status, 'fail');
  const denied = await verdictOf('redis', async (c) => {
    await c.until('PING\r\n');
    c.write('-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user.\r\n');
    c.end();
  });
  assert.equal(denied.status, 'pass', JSON.stringify(denied.evidence));
});

test('mysql: ERR 1130 (host not allowed) before any greeting → pass; ERR 1040 → error', async () => {
  const err = (code: number, msg: string): Buffer => {
    const body = Buffer.concat([Buffer.from([0xff, code & 0xff, code >> 8]), Buffer.from(msg)]);
    return Buffer.concat([Buffer.from([body.length, 0, 0, 0]), body]);
  };
  const refused = await verdictOf('mysql', (c) => {
    c.write(err(1130, "Host '127.13.0.1' is not allowed to connect to this MariaDB server"));
    c.end();
  });
  assert.equal(refused.status, 'pass', JSON.stringify(refused.evidence));
  const busy = await verdictOf('mysql', (c) => {
    c.write(err(1040, 'Too many connections'));
    c.end();
  });
  assert.equal(busy.status, 'error');
});
