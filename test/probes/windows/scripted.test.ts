// Services with no real server in this environment (SQL Server, an AD/LDAP directory, the Windows
// endpoint mapper) against scripted peers that replay answers laid out by the specifications
// (MS-TDS 2.2.6.5, RFC 4511, DCE 1.1 RPC): identification, the database-exposed verdict, and that
// a wrong protocol on the same port is not taken for them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mssqlIdentifier, ldapIdentifier, msrpcIdentifier, rdpIdentifier, smbIdentifier } from '../../../src/scan/identifiers/catalog-windows.js';
import { identifyService } from '../../../src/scan/identify.js';
import { WINDOWS_ACTIVE, WINDOWS_GREETINGS } from '../../../src/scan/identifiers/catalog-windows.js';
import { mssqlProbe } from '../../../src/probes/mssql.js';
import { netTransport } from '../../../src/io/transport.js';
import type { ActiveIdentifier } from '../../../src/scan/identify.js';
import { PRELOGIN_RESPONSE, ROOT_DSE_ENTRY, SEARCH_DONE } from '../../../src/protocols/transcripts.test-data.js';
import { makeCtx } from './kit.js';

const A = '127.12.5.1';
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
after(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
});

/** A server that answers the client's first bytes with `reply(request)` and keeps the connection open. */
function scripted(reply: (req: Buffer) => Buffer): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.once('data', (d: Buffer) => s.write(reply(d)));
    });
    servers.push(srv);
    srv.listen(0, A, () => resolve((srv.address() as net.AddressInfo).port));
  });
}

let tdsPort = 0;
let ldapPort = 0;
let rpcPort = 0;
const BIND_ACK = Buffer.from('05000c03100000003c00000001000000b810b8104523010004003133350000000100000000000000045d888aeb1cc9119fe808002b10486002000000', 'hex');

async function ident(i: ActiveIdentifier, port: number) {
  const s = await netTransport.connect(A, port, { timeoutMs: 1000 });
  try {
    return await i.identify(s, { address: A, port, timeoutMs: 1000, insideTls: false });
  } finally {
    s.close();
  }
}

test('SQL Server PRELOGIN: identified with product/version, database-exposed fails with the encryption mode', async () => {
  tdsPort = await scripted(() => PRELOGIN_RESPONSE);
  const info = await ident(mssqlIdentifier, tdsPort);
  assert.deepEqual(
    { name: info?.name, product: info?.product, version: info?.version },
    { name: 'ms-sql', product: 'Microsoft SQL Server', version: '15.0.2000' },
  );
  const { ctx } = makeCtx({ address: A, port: tdsPort, service: info! });
  const v = await mssqlProbe.run(ctx);
  assert.equal(v[0]?.status, 'fail');
  assert.match(v[0]!.evidence.summary, /15\.0\.2000 \(SQL Server 2019\).*ENCRYPT_OFF/);
  assert.equal(mssqlProbe.appliesTo({ name: 'mysql', tls: false, method: 'banner' }), false, 'MySQL is the services catalog’s');
});

test('LDAP root DSE: identified, naming context turned into a domain fact', async () => {
  ldapPort = await scripted(() => Buffer.concat([ROOT_DSE_ENTRY, SEARCH_DONE]));
  const info = await ident(ldapIdentifier, ldapPort);
  assert.equal(info?.name, 'ldap');
  assert.equal(info?.product, 'Active Directory');
  assert.equal(info?.extra?.domain, 'corp.example.com');
  assert.equal(info?.extra?.dnsHostName, 'dc01.corp.example.com');
});

test('endpoint mapper bind_ack: identified as msrpc', async () => {
  rpcPort = await scripted(() => BIND_ACK);
  const info = await ident(msrpcIdentifier, rpcPort);
  assert.equal(info?.name, 'msrpc');
  assert.match(info?.evidence ?? '', /secondary address "135"/);
});

test('cross-talk: each identifier refuses the other protocols’ answers', async () => {
  // The TDS server on tdsPort answers everything with a PRELOGIN response; the LDAP one with BER.
  for (const i of [rdpIdentifier, smbIdentifier, ldapIdentifier, msrpcIdentifier]) assert.equal(await ident(i, tdsPort), null, `${i.name} on TDS`);
  for (const i of [rdpIdentifier, smbIdentifier, mssqlIdentifier, msrpcIdentifier]) assert.equal(await ident(i, ldapPort), null, `${i.name} on LDAP`);
  // Through the orchestrator with the port hint absent, the right identifier still wins.
  const viaOrchestrator = await identifyService(A, rpcPort, { io: netTransport, catalog: { greetings: WINDOWS_GREETINGS, active: WINDOWS_ACTIVE }, timeoutMs: 1000, greetingWaitMs: 200 });
  assert.equal(viaOrchestrator.name, 'msrpc');
});
