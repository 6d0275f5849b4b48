// NTP, IKE, SSDP and SSRP codecs: the answers real servers give, the traps (stray datagrams,
// lying lengths), and robustness against truncated or corrupted input.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeIkeV1MainMode, encodeIkeV1Notify, parseIkeResponse } from './ike.js';
import { encodeNtpReply, encodeNtpRequest, parseNtpReply } from './ntp.js';
import { encodeMSearch, parseSsdpResponse } from './ssdp.js';
import { encodeSsrpInstanceRequest, encodeSsrpRequest, encodeSsrpResponse, parseSsrpResponse } from './ssrp.js';

function neverThrows(valid: Buffer, parse: (b: Buffer) => { ok: boolean }): void {
  for (let n = 0; n <= valid.length; n++) assert.equal(typeof parse(valid.subarray(0, n)).ok, 'boolean');
  for (let i = 0; i < 2000; i++) {
    const b = Buffer.from(valid);
    b[i % b.length] = (b[i % b.length] as number) ^ (1 + (i % 255));
    assert.equal(typeof parse(b).ok, 'boolean');
  }
  assert.equal(typeof parse(randomBytes(600)).ok, 'boolean');
}

describe('NTP', () => {
  it('builds a mode-3 v4 request carrying the nonce', () => {
    const req = encodeNtpRequest();
    assert.equal(req.packet.length, 48);
    assert.equal((req.packet[0] as number) & 7, 3);
    assert.equal(((req.packet[0] as number) >> 3) & 7, 4);
    assert.ok(req.packet.subarray(40, 48).equals(req.nonce));
  });
  it('accepts the server reply echoing the nonce and reads stratum/refid', () => {
    const req = encodeNtpRequest();
    const r = parseNtpReply(encodeNtpReply(req.packet, { stratum: 2, refId: '192.0.2.1' }), req.nonce);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.value.mode, 4);
    assert.equal(r.value.stratum, 2);
    assert.equal(r.value.refId, '192.0.2.1');
    assert.ok(r.value.transmitTime);
  });
  it('refuses a reply to another request, a client packet and a short packet', () => {
    const a = encodeNtpRequest();
    const b = encodeNtpRequest();
    assert.match((parseNtpReply(encodeNtpReply(a.packet), b.nonce) as { error: string }).error, /origin timestamp/);
    assert.match((parseNtpReply(a.packet) as { error: string }).error, /mode 3/);
    assert.match((parseNtpReply(Buffer.alloc(20)) as { error: string }).error, /shorter/);
  });
  it('reads a kiss-o-death code', () => {
    const req = encodeNtpRequest();
    const kod = encodeNtpReply(req.packet, { stratum: 0 });
    kod.write('RATE', 12, 'latin1');
    const r = parseNtpReply(kod, req.nonce);
    assert.ok(r.ok);
    assert.equal(r.value.kiss, 'RATE');
  });
  it('never throws', () => {
    const req = encodeNtpRequest();
    neverThrows(encodeNtpReply(req.packet), (b) => parseNtpReply(b, req.nonce));
  });
});

describe('IKE', () => {
  it('builds a well-formed IKEv1 Main Mode SA message', () => {
    const { packet, initiatorSpi } = encodeIkeV1MainMode();
    assert.equal(packet.readUInt32BE(24), packet.length, 'header length');
    assert.ok(packet.subarray(0, 8).equals(initiatorSpi));
    assert.equal(packet[16], 1, 'first payload SA');
    assert.equal(packet[17], 0x10);
    assert.equal(packet[18], 2, 'identity protection');
    assert.equal(packet.readUInt16BE(30), packet.length - 28, 'SA payload spans the rest');
    assert.equal(packet[28 + 12 + 7], 6, 'six transforms offered');
  });
  it('parses a NO-PROPOSAL-CHOSEN notification with a vendor id', () => {
    const req = encodeIkeV1MainMode();
    const reply = encodeIkeV1Notify(req.packet, 14, [Buffer.from('4a131c81070358455c5728f20e95452f', 'hex')]);
    const r = parseIkeResponse(reply, req.initiatorSpi);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.value.majorVersion, 1);
    assert.deepEqual(r.value.notifications, ['NO-PROPOSAL-CHOSEN']);
    assert.deepEqual(r.value.vendorIds, ['4a131c81070358455c5728f20e95452f']);
    assert.equal(r.value.exchange, 'informational');
  });
  it('treats a reply echoing our own SA as a chosen proposal', () => {
    const req = encodeIkeV1MainMode();
    const reply = Buffer.from(req.packet);
    randomBytes(8).copy(reply, 8);
    const r = parseIkeResponse(reply, req.initiatorSpi);
    assert.ok(r.ok);
    assert.equal(r.value.proposalAccepted, true);
  });
  it('refuses another initiator cookie and lying lengths', () => {
    const req = encodeIkeV1MainMode();
    const reply = encodeIkeV1Notify(req.packet);
    assert.match((parseIkeResponse(reply, randomBytes(8)) as { error: string }).error, /initiator SPI/);
    const lie = Buffer.from(reply);
    lie.writeUInt32BE(5000, 24);
    assert.match((parseIkeResponse(lie) as { error: string }).error, /does not fit/);
    const badPayload = Buffer.from(reply);
    badPayload.writeUInt16BE(2, 30);
    assert.match((parseIkeResponse(badPayload) as { error: string }).error, /below the 4-byte/);
  });
  it('never throws', () => {
    const req = encodeIkeV1MainMode();
    neverThrows(encodeIkeV1Notify(req.packet, 14, [randomBytes(16)]), (b) => parseIkeResponse(b, req.initiatorSpi));
  });
});

describe('SSDP', () => {
  it('builds a unicast M-SEARCH', () => {
    const m = encodeMSearch('127.10.2.1').toString('latin1');
    assert.match(m, /^M-SEARCH \* HTTP\/1\.1\r\nHOST: 127\.10\.2\.1:1900\r\n/);
    assert.match(m, /MAN: "ssdp:discover"\r\n/);
    assert.ok(m.endsWith('\r\n\r\n'));
  });
  it('parses a search response and refuses NOTIFY, non-200 and header-less replies', () => {
    const ok = parseSsdpResponse(Buffer.from('HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nUSN: uuid:x::upnp:rootdevice\r\nServer: Linux/6 UPnP/1.0 miniupnpd/2.3\r\n\r\n'));
    assert.ok(ok.ok);
    assert.equal(ok.value.server, 'Linux/6 UPnP/1.0 miniupnpd/2.3');
    assert.equal(parseSsdpResponse(Buffer.from('NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\n\r\n')).ok, false);
    assert.equal(parseSsdpResponse(Buffer.from('HTTP/1.1 404 Not Found\r\nST: a\r\nUSN: b\r\n\r\n')).ok, false);
    assert.equal(parseSsdpResponse(Buffer.from('HTTP/1.1 200 OK\r\nServer: x\r\n\r\n')).ok, false);
  });
});

describe('SSRP', () => {
  it('builds CLNT_UCAST_EX and CLNT_UCAST_INST', () => {
    assert.deepEqual([...encodeSsrpRequest()], [0x03]);
    assert.deepEqual([...encodeSsrpRequest('broadcast')], [0x02]);
    assert.equal(encodeSsrpInstanceRequest('SQLEXPRESS').toString('latin1'), '\x04SQLEXPRESS\0');
  });
  it('parses several instances', () => {
    const b = encodeSsrpResponse([
      { ServerName: 'DB1', InstanceName: 'MSSQLSERVER', IsClustered: 'No', Version: '16.0.1000.6', tcp: '1433' },
      { ServerName: 'DB1', InstanceName: 'SQLEXPRESS', IsClustered: 'No', Version: '15.0.2000.5', np: '\\\\DB1\\pipe\\MSSQL$SQLEXPRESS\\sql\\query' },
    ]);
    const r = parseSsrpResponse(b);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.value.instances.length, 2);
    assert.equal(r.value.instances[0]?.tcpPort, 1433);
    assert.equal(r.value.instances[1]?.tcpPort, null);
    assert.equal(r.value.instances[1]?.version, '15.0.2000.5');
  });
  it('refuses a wrong type byte, a size beyond the datagram and binary data', () => {
    assert.equal(parseSsrpResponse(Buffer.from([0x04, 1, 0, 0x41])).ok, false);
    assert.match((parseSsrpResponse(Buffer.from([0x05, 0xff, 0x00, 0x41])) as { error: string }).error, /truncated/);
    assert.equal(parseSsrpResponse(Buffer.from([0x05, 3, 0, 0x00, 0x01, 0x02])).ok, false);
  });
  it('never throws', () => {
    neverThrows(encodeSsrpResponse([{ ServerName: 'A', InstanceName: 'B', Version: '1', tcp: '1' }]), parseSsrpResponse);
  });
});
