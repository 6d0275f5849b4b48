import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDnsCmdlet, parseDnscmdEnumZones, parseDnscmdInfo, parseDnscmdZoneInfo } from './dns.js';
import { parseAdaptersJson, parseAuditpol, parseDefenderJson, parseIcacls, parseNetshFirewall, parseNicconfig, parseScQuery, parseServicesJson, parseW3cLog } from './misc.js';
import { fixtureFiles } from './fixtures/fixtures.js';

const F = fixtureFiles();

test('dnscmd /Info: settings, address lists, normalised facts', () => {
  const { slice, problems } = parseDnscmdInfo('dnscmd-info.txt', F['dnscmd-info.txt']!);
  assert.deepEqual(problems, []);
  assert.equal(slice.recursionEnabled!.value, true);
  assert.equal(slice.recursionEnabled!.source.line, 22);
  assert.equal(slice.secureResponses!.value, true);
  assert.deepEqual(slice.allAddresses!.value, ['203.0.113.53', '10.0.0.53']);
  assert.deepEqual(slice.listenAddresses!.value, [], 'NULL IP Array = all addresses');
  assert.equal(slice.settings['dwrpcprotocol']!.value, '00000005');
  assert.match(slice.version!.value, /6\.3 build 9600/);
});

test('dnscmd /EnumZones and /ZoneInfo', () => {
  const z = parseDnscmdEnumZones('enum.txt', F['dnscmd-enumzones.txt']!);
  assert.deepEqual(z.problems, []);
  assert.deepEqual(Object.keys(z.slice.zones), ['.', '_msdcs.corp.example.org', 'corp.example.org', 'example.net']);
  assert.equal(z.slice.zones['example.net']!.allowUpdate!.value, 1);
  assert.equal(z.slice.zones['corp.example.org']!.allowUpdate!.value, 2);
  assert.equal(z.slice.zones['corp.example.org']!.dsIntegrated!.value, true);
  assert.equal(z.slice.zoneListComplete, true);
  const info = parseDnscmdZoneInfo('zi.txt', F['dnscmd-zoneinfo-example.net.txt']!);
  assert.deepEqual(info.problems, []);
  const zone = info.slice.zones['example.net']!;
  assert.equal(zone.secureSecondaries!.value, 0);
  assert.equal(zone.secureSecondaries!.source.line, 23);
  assert.equal(zone.allowUpdate!.value, 1);
  assert.equal(zone.zoneType!.value, 'primary');
  assert.deepEqual(zone.secondaryServers!.value, ['198.51.100.53']);
});

test('Get-DnsServer* JSON: numeric and named enums, address arrays', () => {
  const zones = parseDnsCmdlet('zones.json', F['dns-server-zone.json']!);
  assert.deepEqual(zones.problems, []);
  assert.equal(zones.slice.zones['corp.example.org']!.secureSecondaries!.value, 3);
  assert.equal(zones.slice.zones['example.net']!.secureSecondaries!.value, 0);
  assert.equal(zones.slice.zones['example.net']!.allowUpdate!.value, 1);
  assert.equal(zones.slice.zones['example.net']!.source.line, 12);
  const setting = parseDnsCmdlet('setting.json', F['dns-server-setting.json']!);
  assert.equal(setting.slice.enableVersionQuery!.value, 1);
  assert.equal(setting.slice.enableVersionQuery!.source.line, 6);
  assert.deepEqual(setting.slice.listenAddresses!.value, ['203.0.113.53']);
  assert.equal(setting.slice.version!.value, '10.0.20348');
  const rec = parseDnsCmdlet('rec.json', F['dns-server-recursion.json']!);
  assert.equal(rec.slice.recursionEnabled!.value, true);
  assert.equal(rec.slice.secureResponses!.value, true);
});

test('Get-DnsServerRootHint JSON: flat collector form and raw record form', () => {
  const flat = parseDnsCmdlet('hints.json', F['dns-server-roothint.json']!);
  assert.deepEqual(flat.problems, []);
  assert.deepEqual(flat.slice.rootHints!.value, [
    { name: 'a.root-servers.net.', addresses: ['198.41.0.4', '2001:503:ba3e::2:30'] },
    { name: 'b.root-servers.net.', addresses: ['199.9.14.201', '2001:500:200::b'] },
  ]);
  assert.equal(flat.slice.rootHints!.source.line, 3);
  const raw = JSON.stringify([{ NameServer: { RecordData: { NameServer: 'B.ROOT-SERVERS.NET.' } }, IPAddress: [{ RecordData: { IPv4Address: { IPAddressToString: '170.247.170.2' } } }] }]);
  assert.deepEqual(parseDnsCmdlet('raw.json', raw).slice.rootHints!.value, [{ name: 'b.root-servers.net.', addresses: ['170.247.170.2'] }]);
});

test('Get-DnsServerZone as Format-List text with several objects', () => {
  const text = 'PS C:\\> Get-DnsServerZone | Format-List\n\nZoneName          : a.example\nZoneType          : Primary\nSecureSecondaries : NoTransfer\n\n\nZoneName          : b.example\nZoneType          : Primary\nSecureSecondaries : TransferAnyServer\n';
  const r = parseDnsCmdlet('zones.txt', text);
  assert.equal(r.slice.zones['a.example']!.secureSecondaries!.value, 3);
  assert.equal(r.slice.zones['b.example']!.secureSecondaries!.value, 0);
  assert.equal(r.slice.zones['b.example']!.source.line, 8);
});

test('sc queryex and Get-Service JSON', () => {
  const sc = parseScQuery('sc.txt', F['sc-queryex.txt']!);
  assert.deepEqual(sc.problems, []);
  assert.equal(sc.slice.services['spooler']!.state!.value, 'running');
  assert.equal(sc.slice.services['spooler']!.pid, 2040);
  assert.equal(sc.slice.services['remoteregistry']!.state!.value, 'stopped');
  const js = parseServicesJson('svc.json', F['get-service.json']!);
  assert.deepEqual(js.problems, []);
  assert.equal(js.slice.services['spooler']!.startType!.value, 'auto');
  assert.deepEqual(js.slice.services['spooler']!.dependents!.value, ['Fax']);
  assert.equal(js.slice.services['remoteregistry']!.startType!.value, 'disabled');
  assert.equal(js.slice.services['w3svc']!.source.line, 21);
});

test('icacls: path with spaces, inherited, deny and write rights', () => {
  const { slice, problems } = parseIcacls('icacls.txt', F['icacls-logs.txt']!);
  assert.deepEqual(problems, []);
  const p = slice.paths['c:\\inetpub\\logs\\log files']!;
  assert.equal(p.path, 'C:\\inetpub\\logs\\Log Files');
  assert.deepEqual(p.entries.map((e) => [e.principal, e.rights.join(','), e.inherited, e.deny, e.canWrite]), [
    ['BUILTIN\\Users', 'M', false, false, true],
    ['NT AUTHORITY\\SYSTEM', 'F', true, false, true],
    ['BUILTIN\\Administrators', 'F', true, false, true],
    ['CREATOR OWNER', 'F', true, false, true],
    ['Everyone', 'W', false, true, true],
  ]);
});

test('netsh advfirewall: profiles by order, state and policy', () => {
  const { slice, problems } = parseNetshFirewall('fw.txt', F['advfirewall.txt']!);
  assert.deepEqual(problems, []);
  assert.equal(slice.profiles.domain!.enabled!.value, true);
  assert.equal(slice.profiles.domain!.inbound!.value, 'block');
  assert.equal(slice.profiles.public!.enabled!.value, false);
  assert.equal(slice.profiles.public!.inbound!.value, 'allow');
  assert.equal(slice.profiles.public!.enabled!.source.line, 26);
  assert.equal(slice.profiles.domain!.settings['filename']!.value, '%systemroot%\\system32\\LogFiles\\Firewall\\pfirewall.log');
});

test('adapters: wmic nicconfig CSV (UTF-16, \\r\\r\\n) and Get-NetAdapterBinding JSON', () => {
  const n = parseNicconfig('nic.csv', F['nicconfig.csv']!);
  assert.deepEqual(n.problems, []);
  const a = n.slice.adapters['microsoft hyper-v network adapter']!;
  assert.deepEqual(a.ipAddresses!.value, ['203.0.113.10', 'fe80::1c2b:3a4d:5e6f:7a8b']);
  assert.equal(a.netbiosOptions!.value, 0);
  assert.equal(n.slice.adapters['microsoft hyper-v network adapter #2']!.netbiosOptions!.value, 2);
  const b = parseAdaptersJson('bind.json', F['adapter-binding.json']!);
  assert.equal(b.slice.adapters['microsoft hyper-v network adapter']!.bindings!['ms_server']!.value, true);
  assert.equal(b.slice.adapters['microsoft hyper-v network adapter #2']!.bindings!['ms_server']!.value, false);
});

test('Get-MpComputerStatus JSON', () => {
  const { slice, problems } = parseDefenderJson('mp.json', F['mpcomputerstatus.json']!);
  assert.deepEqual(problems, []);
  assert.equal(slice.realTimeProtectionEnabled!.value, false);
  assert.equal(slice.antivirusSignatureAge!.value, 12);
  assert.equal(slice.antivirusSignatureLastUpdated!.value, '2024-02-27');
  assert.equal(slice.antivirusEnabled!.source.line, 3);
});

test('auditpol /r: judged by GUID, so a Russian capture reads the same as an English one', () => {
  const ru = parseAuditpol('ru.csv', F['auditpol-ru.csv']!);
  assert.deepEqual(ru.problems, []);
  const logon = ru.slice.subcategories['0cce9215-69ae-11d9-bed3-505054503030']!;
  assert.deepEqual([logon.success, logon.failure, logon.name], [true, true, 'Вход в систему']);
  const cred = ru.slice.subcategories['0cce923f-69ae-11d9-bed3-505054503030']!;
  assert.deepEqual([cred.success, cred.failure], [false, false]);
  const pol = ru.slice.subcategories['0cce922f-69ae-11d9-bed3-505054503030']!;
  assert.deepEqual([pol.success, pol.failure], [false, true]);
  const en = parseAuditpol('en.csv', F['auditpol.csv']!);
  assert.deepEqual([en.slice.subcategories['0cce9215-69ae-11d9-bed3-505054503030']!.success, en.slice.subcategories['0cce923f-69ae-11d9-bed3-505054503030']!.success], [true, false]);
  // auditpol /backup carries a numeric Setting Value column: no words needed at all
  const backup = 'Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\nW,System,Xyz,{0CCE9215-69AE-11D9-BED3-505054503030},???,,2\n';
  const b = parseAuditpol('b.csv', backup).slice.subcategories['0cce9215-69ae-11d9-bed3-505054503030']!;
  assert.deepEqual([b.success, b.failure], [false, true]);
});

test('W3C log: fields layout and entries', () => {
  const { slice, problems } = parseW3cLog('u_ex.log', F['u_ex240301.log']!);
  assert.deepEqual(problems, []);
  assert.equal(slice.files[0]!.entries, 2);
  assert.equal(slice.files[0]!.layouts[0]!.value.length, 15);
});
