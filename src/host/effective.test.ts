import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHostState } from '../artifacts/bundle.js';
import type { BundleFile, BundleManifest } from '../artifacts/bundle.js';
import { fixtureFiles, encode } from '../artifacts/fixtures/fixtures.js';
import {
  canonicalKeyPath,
  detectRoles,
  effectiveDenyTsConnections,
  effectiveRdpSetting,
  effectiveService,
  osRelease,
  registryLookup,
  schannelProtocol,
} from './effective.js';

const F = fixtureFiles();
const state = (names: string[], manifest?: BundleManifest, extra: BundleFile[] = []) =>
  buildHostState({ files: [...names.map((n) => ({ name: n, bytes: F[n]! })), ...extra], ...(manifest ? { manifest } : {}), problems: [] });

test('canonical key paths', () => {
  assert.equal(canonicalKeyPath('HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\X\\'), 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\X');
  assert.equal(canonicalKeyPath('MACHINE\\Software\\A'), 'HKLM\\Software\\A');
  assert.equal(canonicalKeyPath('hkcu/Software'), 'HKCU\\Software');
  // A first segment named like an Object.prototype member is an ordinary (unknown) hive name.
  assert.equal(canonicalKeyPath('constructor\\Software'), 'constructor\\Software');
  assert.equal(canonicalKeyPath('__proto__\\X'), '__proto__\\X');
});

test('RDP: the policy key wins over the listener key, and says so', () => {
  const listenerOnly = state(['terminal-server.reg']);
  const ua = effectiveRdpSetting(listenerOnly, 'UserAuthentication');
  assert.deepEqual([ua.value, ua.decidedBy, ua.source?.line], [0, 'listener', 17]);
  assert.equal(ua.policy.status, 'not-collected', 'rules can see the policy key was not collected');

  const both = state(['terminal-server.reg', 'rdp-policy-regedit4.reg', 'Registry.pol']);
  const ua2 = effectiveRdpSetting(both, 'UserAuthentication');
  assert.deepEqual([ua2.value, ua2.decidedBy, ua2.source?.artifact], [1, 'policy', 'rdp-policy-regedit4.reg']);
  const mel = effectiveRdpSetting(both, 'MinEncryptionLevel');
  assert.deepEqual([mel.value, mel.decidedBy, mel.source?.artifact], [3, 'policy', 'Registry.pol']);
  assert.equal(mel.listener.status, 'set');
  const port = effectiveRdpSetting(both, 'PortNumber');
  assert.deepEqual([port.value, port.decidedBy], [3389, 'listener']);
  // Registry.pol deletes fAllowToGetHelp: the policy layer reports the deletion
  const help = registryLookup(both, 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services', 'fAllowToGetHelp');
  assert.equal(help.status, 'deleted');
  assert.equal(effectiveDenyTsConnections(both).value, 0);
});

test('RDP: a key the manifest records as missing makes values absent, not uncollected', () => {
  const manifest: BundleManifest = {
    files: [
      { file: 'terminal-server.reg', kind: 'reg-export', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server' },
      { file: 'tsp.reg', kind: 'reg-export', key: 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services', exitCode: 1, error: 'ERROR: The system was unable to find the specified registry key or value.' },
    ],
  };
  const st = state(['terminal-server.reg'], manifest);
  const sl = effectiveRdpSetting(st, 'SecurityLayer');
  assert.deepEqual([sl.value, sl.decidedBy, sl.policy.status], [1, 'listener', 'absent']);
  const saving = effectiveRdpSetting(st, 'DisablePasswordSaving');
  assert.deepEqual([saving.value, saving.decidedBy], [undefined, 'absent']);
  const nothing = effectiveRdpSetting(state(['systeminfo.txt']), 'SecurityLayer');
  assert.equal(nothing.decidedBy, 'not-collected');
});

test('SCHANNEL: registry values first, then the documented OS default for the build', () => {
  const st = state(['schannel.reg', 'systeminfo.txt']);
  assert.deepEqual(pick(schannelProtocol(st, 'TLS 1.0')), [false, 'registry', 'Enabled=0']);
  assert.deepEqual(pick(schannelProtocol(st, 'SSL 3.0')), [false, 'registry', 'DisabledByDefault=1']);
  assert.deepEqual(pick(schannelProtocol(st, 'TLS 1.2')), [true, 'registry', 'Enabled=4294967295']);
  const tls11 = schannelProtocol(st, 'TLS 1.1');
  assert.deepEqual([tls11.enabled, tls11.decidedBy], [true, 'os-default']);
  assert.match(tls11.detail, /OS default for Windows Server 2022 \(build 20348\)/);
  assert.equal(tls11.source?.artifact, 'systeminfo.txt');
  assert.equal(schannelProtocol(st, 'TLS 1.3').enabled, true);
  // Server 2012 R2 defaults: SSL 3.0 on, TLS 1.3 not supported
  const old = state(['schannel.reg'], { files: [{ file: 'si.txt', kind: 'systeminfo' }] }, [{ name: 'si.txt', bytes: encode(String.raw`Host Name:                 OLD
OS Name:                   Microsoft Windows Server 2012 R2 Standard
OS Version:                6.3.9600 N/A Build 9600
`, 'ascii') }]);
  assert.deepEqual([schannelProtocol(old, 'TLS 1.1').enabled, schannelProtocol(old, 'TLS 1.3').enabled], [true, false]);
  const ssl2client = schannelProtocol(old, 'SSL 2.0', 'Client');
  assert.deepEqual([ssl2client.enabled, ssl2client.decidedBy], [false, 'os-default']);
  // Server 2025 is past the documented table: unknown, not guessed
  const future = state(['schannel.reg'], { files: [{ file: 'si.txt', kind: 'systeminfo' }] }, [{ name: 'si.txt', bytes: encode('Host Name:                 NEW\nOS Name:                   Microsoft Windows Server 2025 Datacenter\nOS Version:                10.0.26100 N/A Build 26100\n', 'ascii') }]);
  assert.equal(schannelProtocol(future, 'TLS 1.1').enabled, 'unknown');
  // no systeminfo: the default cannot be decided
  assert.equal(schannelProtocol(state(['schannel.reg']), 'TLS 1.1').enabled, 'unknown');
  // no SCHANNEL export at all
  assert.equal(schannelProtocol(state(['systeminfo.txt']), 'TLS 1.0').decidedBy, 'unknown');
});

function pick(s: ReturnType<typeof schannelProtocol>): unknown[] {
  return [s.enabled, s.decidedBy, s.detail];
}

test('OS release and end of support', () => {
  const r = osRelease(state(['systeminfo.txt']))!;
  assert.deepEqual([r.product, r.build, r.endOfSupport, r.server], ['Windows Server 2022', 20348, '2031-10-14', true]);
  assert.equal(osRelease(state(['schannel.reg'])), undefined);
});

test('services: security template start mode over the service list', () => {
  const st = state(['get-service.json', 'sc-queryex.txt', 'secpol.inf']);
  const spooler = effectiveService(st, 'Spooler');
  assert.equal(spooler.exists, true);
  assert.equal(spooler.startType!.value, 'disabled');
  assert.equal(spooler.startType!.source.artifact, 'secpol.inf');
  assert.equal(spooler.state!.value, 'running');
  assert.equal(effectiveService(st, 'TlntSvr').exists, false);
  assert.equal(effectiveService(state(['systeminfo.txt']), 'TlntSvr').exists, 'unknown');
});

test('roles: IIS, DNS server, domain controller, RDP each with the deciding artifact', () => {
  const all = state(['applicationHost.config', 'get-service.json', 'dnscmd-info.txt', 'systeminfo.txt', 'terminal-server.reg', 'netstat-anob.txt']);
  const roles = detectRoles(all);
  assert.equal(roles.iis.present, true);
  assert.equal(roles.iis.source?.artifact, 'applicationHost.config');
  assert.equal(roles.dnsServer.present, true);
  assert.equal(roles.domainController.present, false);
  assert.equal(roles.domainController.source?.artifact, 'systeminfo.txt');
  assert.equal(roles.rdpEnabled.present, true);
  assert.equal(roles.rdpEnabled.source?.line, 4);

  const bare = detectRoles(state(['get-service.json']));
  assert.equal(bare.dnsServer.present, false);
  assert.equal(bare.domainController.present, false);
  assert.equal(bare.rdpEnabled.present, null);
  const nothing = detectRoles(state([]));
  assert.deepEqual([nothing.iis.present, nothing.dnsServer.present, nothing.domainController.present, nothing.rdpEnabled.present], [null, null, null, null]);
  // a DNS listener owned by dns.exe is enough when nothing else was collected
  assert.equal(detectRoles(state(['netstat-anob.txt'])).dnsServer.present, true);
});
