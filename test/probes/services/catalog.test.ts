// Invariants over the service probe catalog and identifiers: id = file name, every check id is a
// PROTOCOLS.md finding id with its table severity, remediations name the Windows setting, the
// writing/relaying probes are marked intrusive, identifier names are unique across both catalogs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SERVICE_PROBES } from '../../../src/probes/catalog-services.js';
import { TLS_CHECKS } from '../../../src/probes/tls.js';
import { SERVICE_ACTIVE, SERVICE_GREETINGS } from '../../../src/scan/identifiers/catalog-services.js';
import { WINDOWS_ACTIVE, WINDOWS_GREETINGS } from '../../../src/scan/identifiers/catalog-windows.js';

const EXPECTED: Record<string, string> = {
  'dns-zone-transfer-allowed': 'high',
  'dns-open-recursion': 'high',
  'dns-version-disclosed': 'low',
  'http-options-enabled': 'low',
  'http-trace-enabled': 'medium',
  'http-webdav-methods-enabled': 'high',
  'http-server-version-disclosed': 'low',
  'http-framework-disclosed': 'low',
  'http-directory-listing': 'medium',
  'http-default-page': 'low',
  'http-detailed-errors': 'medium',
  'http-no-https-redirect': 'medium',
  'http-no-hsts': 'low',
  'ftp-anonymous-login': 'high',
  'ftp-cleartext': 'medium',
  'telnet-cleartext': 'high',
  'snmp-default-community': 'high',
  'vnc-no-auth': 'critical',
  'database-exposed': 'high',
  'smtp-open-relay': 'critical',
};
const TLS_IDS = new Set<string>(TLS_CHECKS.map((c) => c.id));
const INTRUSIVE = new Set(['http-write-methods', 'smtp-relay']);

test('every service probe: id = file name, known check ids with the table severity, Windows remediation, references', () => {
  const seen = new Set<string>();
  const ids = new Set<string>();
  for (const p of SERVICE_PROBES) {
    assert.ok(!ids.has(p.id), `duplicate probe id ${p.id}`);
    ids.add(p.id);
    const src = fileURLToPath(new URL(`../../../../src/probes/${p.id}.ts`, import.meta.url));
    assert.ok(existsSync(src), `probe ${p.id}: no file src/probes/${p.id}.ts`);
    assert.ok(p.timeoutMs > 0 && p.timeoutMs <= 60_000, `${p.id}: timeout`);
    assert.equal(p.safety, INTRUSIVE.has(p.id) ? 'intrusive' : 'safe', `${p.id}: safety`);
    for (const c of p.checks) {
      if (TLS_IDS.has(c.id)) continue; // the shared TLS checks, judged by probes/tls.ts
      seen.add(c.id);
      assert.equal(c.severity, EXPECTED[c.id], `${p.id}/${c.id}: severity`);
      assert.ok(c.remediation.length > 60, `${c.id}: remediation too thin`);
      assert.ok(/HKLM|system\.webServer|system\.web|system\.applicationHost|IIS|Windows Firewall|SNMP Service|Telnet Server|TlntSvr|DNS Manager|dnscmd|Set-DnsServer|SMTPSVC|Exchange|FTPSVC|VNC|sslFlags/.test(c.remediation), `${c.id}: remediation names no Windows setting`);
      assert.ok(c.references.length > 0 && c.references.every((r) => r.startsWith('https://')), `${c.id}: references`);
    }
  }
  assert.deepEqual([...seen].sort(), Object.keys(EXPECTED).sort());
});

test('identifiers: names unique across the service and Windows catalogs; hinted ports as documented', () => {
  const active = [...WINDOWS_ACTIVE, ...SERVICE_ACTIVE].map((a) => a.name);
  assert.equal(new Set(active).size, active.length, active.join(','));
  const greet = [...WINDOWS_GREETINGS, ...SERVICE_GREETINGS].map((g) => g.name);
  assert.equal(new Set(greet).size, greet.length, greet.join(','));
  const byName = Object.fromEntries(SERVICE_ACTIVE.map((a) => [a.name, a]));
  assert.deepEqual(byName['winrm']?.ports, [5985, 5986]);
  assert.equal(byName['http']?.insideTls, true);
  assert.equal(byName['winrm']?.insideTls, true);
  assert.equal(byName['postgresql']?.insideTls, false, 'PostgreSQL negotiates its own TLS after SSLRequest');
  assert.deepEqual(byName['dns']?.ports, [53]);
});
