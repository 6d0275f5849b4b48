import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRegFile, parseRegistryPol } from './registry.js';
import { parseSecedit } from './secedit.js';
import { fixtureFiles, polBytes, dword } from './fixtures/fixtures.js';

const F = fixtureFiles();
const TS = 'hklm\\system\\currentcontrolset\\control\\terminal server';

test('.reg version 5 (UTF-16LE): dword, strings with escapes, hex(2), hex(7) continued, hex(b), hex:, deletions', () => {
  const { slice, problems } = parseRegFile('terminal-server.reg', F['terminal-server.reg']!);
  assert.deepEqual(problems, []);
  const ts = slice.keys[TS]!;
  assert.equal(ts.path, 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server');
  assert.deepEqual(ts.values['fdenytsconnections']![0]!.data, { type: 'REG_DWORD', value: 0 });
  assert.equal(ts.values['fdenytsconnections']![0]!.source.line, 4);
  assert.deepEqual(ts.values['instanceid']![0]!.data, { type: 'REG_EXPAND_SZ', value: '%SystemRoot%\\q"' });
  assert.equal(ts.values['instanceid']![0]!.source.line, 7, 'a continued value keeps the line it starts on');
  assert.deepEqual(ts.values['snapshotmonitors']![0]!.data, { type: 'deleted' });
  const ws = slice.keys[TS + '\\winstations']!;
  assert.deepEqual(ws.values['consolesecurity']![0]!.data, { type: 'REG_BINARY', value: [1, 0, 0x14, 0x80] });
  assert.deepEqual(ws.values['idlewinstationpoolcount']![0]!.data, { type: 'REG_QWORD', value: 2 ** 32 });
  const rdp = slice.keys[TS + '\\winstations\\rdp-tcp']!;
  assert.deepEqual(rdp.values['portnumber']![0]!.data, { type: 'REG_DWORD', value: 3389 });
  assert.deepEqual(rdp.values['comment']![0]!.data, { type: 'REG_SZ', value: 'Listener "RDP" \\ default' });
  assert.deepEqual(rdp.values['defaultsecurity']![0]!.data, { type: 'REG_MULTI_SZ', value: ['RDP', 'TS'] });
  assert.ok(slice.keys[TS + '\\winstations\\console']!.deleted);
  // regedit-shaped (UTF-16LE, one root): its subtree counts as completely exported.
  assert.deepEqual(slice.exportedRoots.map((r) => r.value), ['HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server']);
});

test('REGEDIT4 (ANSI) with comments; hand-written files get no exported root', () => {
  const { slice, problems } = parseRegFile('p.reg', F['rdp-policy-regedit4.reg']!);
  assert.deepEqual(problems, []);
  const k = slice.keys['hklm\\software\\policies\\microsoft\\windows nt\\terminal services']!;
  assert.equal(k.values['userauthentication']![0]!.layer, 'local');
  assert.deepEqual(k.values['securitylayer']![0]!.data, { type: 'REG_DWORD', value: 2 });
  assert.deepEqual(slice.exportedRoots, []);
});

test('REGEDIT4 hex(2) strings are ANSI bytes, not UTF-16', () => {
  const text = 'REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n"P"=hex(2):25,41,25,00\r\n';
  const { slice } = parseRegFile('x.reg', text);
  assert.deepEqual(slice.keys['hklm\\software\\x']!.values['p']![0]!.data, { type: 'REG_EXPAND_SZ', value: '%A%' });
});

test('malformed lines are reported with their line and the rest is still read', () => {
  const { slice, problems } = parseRegFile('broken.reg', F['broken.reg']!);
  const lines = problems.map((p) => p.line);
  assert.deepEqual(lines, [5, 6, 7, 8]);
  assert.ok(problems.every((p) => p.severity === 'error' && p.artifact === 'broken.reg'));
  const k = slice.keys['hklm\\software\\example']!;
  assert.ok(k.values['good']);
  assert.deepEqual(k.values['later']![0]!.data, { type: 'REG_SZ', value: 'still read' });
});

test('a file without a .reg header is refused with a reason', () => {
  const { problems } = parseRegFile('notes.reg', 'hello\r\n[HKEY_LOCAL_MACHINE\\X]\r\n');
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.reason, /not a \.reg file/);
  assert.equal(problems[0]!.line, 1);
});

test('Registry.pol: values, **del., **delvals., types, machine hive', () => {
  const { slice, problems } = parseRegistryPol('Machine/Registry.pol', F['Registry.pol']!);
  assert.deepEqual(problems, []);
  const rdp = slice.keys['hklm\\software\\policies\\microsoft\\windows nt\\terminal services']!;
  assert.deepEqual(rdp.values['minencryptionlevel']![0]!.data, { type: 'REG_DWORD', value: 3 });
  assert.equal(rdp.values['minencryptionlevel']![0]!.layer, 'policy');
  assert.match(rdp.values['minencryptionlevel']![0]!.source.xpath!, /^entry\[1\]/);
  assert.deepEqual(rdp.values['fallowtogethelp']![0]!.data, { type: 'deleted' });
  const lists = slice.keys['hklm\\software\\policies\\example\\lists']!;
  assert.ok(lists.deleteAllValues);
  assert.deepEqual(lists.values['allowed']![0]!.data, { type: 'REG_MULTI_SZ', value: ['alpha', 'beta'] });
  const ex = slice.keys['hklm\\software\\policies\\example']!;
  assert.deepEqual(ex.values['banner']![0]!.data, { type: 'REG_SZ', value: 'Authorised use only' });
  assert.deepEqual(ex.values['big']![0]!.data, { type: 'REG_QWORD', value: '72057594037927936' });
});

test('Registry.pol: bad signature and truncation are reported, entries before the damage kept', () => {
  assert.match(parseRegistryPol('x.pol', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])).problems[0]!.reason, /PReg/);
  const good = polBytes([
    { key: 'Software\\A', value: 'One', type: 4, data: dword(1) },
    { key: 'Software\\A', value: 'Two', type: 4, data: dword(2) },
  ]);
  const cut = good.subarray(0, good.length - 7);
  const r = parseRegistryPol('cut.pol', cut);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.severity, 'error');
  assert.match(r.problems[0]!.xpath!, /entry\[2\]/);
  assert.ok(r.slice.keys['hklm\\software\\a']!.values['one']);
  assert.equal(r.slice.keys['hklm\\software\\a']!.values['two'], undefined);
});

test('secedit INF: sections, quoted names, type,value registry values, SID lists, services', () => {
  const { slice, problems } = parseSecedit('secpol.inf', F['secpol.inf']!);
  assert.deepEqual(problems, []);
  assert.deepEqual({ v: slice.systemAccess['enableguestaccount']!.value, l: slice.systemAccess['enableguestaccount']!.source.line }, { v: 1, l: 17 });
  assert.equal(slice.systemAccess['newadministratorname']!.value, 'Administrator');
  assert.equal(slice.eventAudit['auditlogonevents']!.value, 3);
  const sig = slice.registryValues['machine\\system\\currentcontrolset\\services\\lanmanserver\\parameters\\requiresecuritysignature']!;
  assert.deepEqual(sig.value, { type: 4, raw: '0', value: 0 });
  assert.deepEqual(slice.registryValues['machine\\system\\currentcontrolset\\services\\lanmanserver\\parameters\\nullsessionpipes']!.value.value, ['COMNAP', 'COMNODE', 'SQL\\QUERY']);
  assert.deepEqual(slice.registryValues['machine\\system\\currentcontrolset\\services\\lanmanserver\\parameters\\nullsessionshares']!.value.value, []);
  assert.equal(slice.registryValues['machine\\software\\microsoft\\windows nt\\currentversion\\winlogon\\cachedlogonscount']!.value.value, '10');
  assert.deepEqual(slice.privilegeRights['seremoteinteractivelogonright']!.value, ['*S-1-5-32-544', '*S-1-5-32-555']);
  assert.deepEqual(slice.privilegeRights['sedenyremoteinteractivelogonright']!.value, []);
  assert.deepEqual(slice.services['spooler']!.value, { startMode: 4, sddl: 'D:AR(A;;CCLCSWRPWPDTLOCRRC;;;SY)' });
  assert.equal(slice.otherSections['version']!.length, 2);
});

test('secedit INF: garbage is reported, not thrown', () => {
  const r = parseSecedit('bad.inf', 'no sections here\r\n[System Access]\r\nEnableGuestAccount\r\n[Registry Values]\r\nMACHINE\\X=oops\r\n');
  assert.deepEqual(r.problems.map((p) => p.line), [1, 3, 5]);
});
