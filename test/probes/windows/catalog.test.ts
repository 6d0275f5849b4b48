// Invariants over the Windows probe catalog: id = file name, every check id is a PROTOCOLS.md
// finding id with its severity, every check names a remediation and a reference, and every
// identifier in the Windows catalog has a distinct name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WINDOWS_PROBES } from '../../../src/probes/catalog-windows.js';
import { WINDOWS_ACTIVE } from '../../../src/scan/identifiers/catalog-windows.js';

// The stable ids of PROTOCOLS.md's finding table that these probes own, with their severities.
const EXPECTED: Record<string, string> = {
  'rdp-standard-security-allowed': 'high',
  'rdp-nla-not-required': 'high',
  'rdp-encryption-level-low': 'high',
  'rdp-default-port': 'low',
  'smb-v1-enabled': 'high',
  'smb-signing-not-required': 'medium',
  'netbios-name-disclosure': 'medium',
  'tls-legacy-protocol': 'high',
  'tls-weak-cipher': 'high',
  'tls-weak-key': 'medium',
  'tls-untrusted-certificate': 'medium',
  'tls-expired-certificate': 'high',
  'tls-hostname-mismatch': 'low',
  'database-exposed': 'high',
};

test('every Windows probe: id = file name, checks are known ids with the table severity, remediation and references', () => {
  const seen = new Set<string>();
  for (const p of WINDOWS_PROBES) {
    const src = fileURLToPath(new URL(`../../../../src/probes/${p.id}.ts`, import.meta.url));
    assert.ok(existsSync(src), `probe ${p.id}: no file src/probes/${p.id}.ts`);
    assert.ok(p.timeoutMs > 0 && p.timeoutMs <= 60_000, `${p.id}: timeout`);
    assert.equal(p.safety, 'safe', `${p.id}: these probes send only ordinary handshakes`);
    for (const c of p.checks) {
      seen.add(c.id);
      assert.equal(c.severity, EXPECTED[c.id], `${p.id}/${c.id}: severity`);
      assert.ok(c.remediation.length > 60, `${c.id}: remediation too thin`);
      assert.ok(/HKLM|Set-Smb|Windows Firewall|SQL Server Configuration Manager/.test(c.remediation), `${c.id}: remediation names no Windows setting`);
      assert.ok(c.references.length > 0 && c.references.every((r) => r.startsWith('https://')), `${c.id}: references`);
    }
  }
  assert.deepEqual([...seen].sort(), Object.keys(EXPECTED).sort());
});

test('Windows identifiers: distinct names, hinted ports, TLS identifier present', () => {
  const names = WINDOWS_ACTIVE.map((a) => a.name);
  assert.equal(new Set(names).size, names.length);
  for (const n of ['tls', 'rdp', 'smb', 'netbios-ssn', 'msrpc', 'ldap', 'ms-sql']) assert.ok(names.includes(n), n);
  assert.deepEqual(WINDOWS_ACTIVE.find((a) => a.name === 'rdp')?.ports, [3389]);
});
