import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSnmpd } from './snmpd.js';
import { stopAndProveGone, client, assertBoundOnlyToOwnAddress } from './testkit.js';

test('snmpd careless: community public answers sysName', { timeout: 60_000 }, async () => {
  const peer = await startSnmpd({ address: '127.20.8.1', variant: 'careless' });
  try {
    assertBoundOnlyToOwnAddress(peer, [], [161]);
    const r = await client('snmpget', ['-v2c', '-c', 'public', '-t', '2', '-r', '0', '-On', '127.20.8.1:161', '1.3.6.1.2.1.1.5.0']);
    assert.match(r.stdout, /^\.1\.3\.6\.1\.2\.1\.1\.5\.0 = STRING: "?pc-careless-snmp"?$/m);
    const v1 = await client('snmpget', ['-v1', '-c', 'public', '-t', '2', '-r', '0', '-On', '127.20.8.1:161', '1.3.6.1.2.1.1.1.0']);
    assert.match(v1.stdout, /portcullis careless SNMP peer/);
  } finally {
    await stopAndProveGone(peer, [], [161]);
  }
});

test('snmpd hardened: no community answers; the v3 user does', { timeout: 60_000 }, async () => {
  const peer = await startSnmpd({ address: '127.20.8.2', variant: 'hardened' });
  try {
    assertBoundOnlyToOwnAddress(peer, [], [161]);
    const r = await client('snmpget', ['-v2c', '-c', 'public', '-t', '1', '-r', '0', '127.20.8.2:161', '1.3.6.1.2.1.1.5.0']);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /Timeout/);
    const pw = peer.info['v3Password']!;
    const v3 = await client('snmpget', ['-v3', '-l', 'authPriv', '-u', peer.info['v3User']!, '-a', 'SHA', '-A', pw, '-x', 'AES', '-X', pw, '-t', '2', '-r', '0', '-On', '127.20.8.2:161', '1.3.6.1.2.1.1.5.0']);
    assert.match(v3.stdout, /pc-hardened-snmp/);
  } finally {
    await stopAndProveGone(peer, [], [161]);
  }
});
