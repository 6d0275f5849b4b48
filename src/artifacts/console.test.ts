import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHotfixJson, parseNetList, parseNetLocalgroup, parseNetstat, parseNetUser, parseSysteminfo, parseWindowsDate, parseWmicQfe } from './console.js';
import { encode, fixtureFiles } from './fixtures/fixtures.js';

const F = fixtureFiles();

test('dates in the formats Windows prints', () => {
  const cases: [string, boolean, string | null][] = [
    ['3/17/2019', false, '2019-03-17'],
    ['3/1/2024', true, '2024-01-03'],
    ['17/3/2019', false, '2019-03-17'],
    ['17.04.2020, 12:02:40', false, '2020-04-17'],
    ['2024-03-01', false, '2024-03-01'],
    ['20190317', false, '2019-03-17'],
    ['/Date(1707868800000)/', false, '2024-02-14'],
    ['01d5dc2e6e5a8000', false, '2020-02-05'],
    ['Never', false, null],
    ['13/13/2019', false, null],
  ];
  for (const [raw, dayFirst, want] of cases) assert.equal(parseWindowsDate(raw, dayFirst), want, raw);
});

test('netstat -anob: listeners with pid, image and service tags; connections counted', () => {
  const { slice, problems } = parseNetstat('netstat-anob.txt', F['netstat-anob.txt']!);
  assert.deepEqual(problems, []);
  assert.equal(slice.withOwners, true);
  assert.equal(slice.connections, 1);
  const brief = slice.listeners.map((l) => `${l.protocol} ${l.address}:${l.port} ${l.pid} ${l.process ?? '-'} ${(l.services ?? []).join('+') || '-'}`);
  assert.deepEqual(brief, [
    'tcp 0.0.0.0:80 4 - -',
    'tcp 0.0.0.0:135 880 svchost.exe RpcSs',
    'tcp 0.0.0.0:3389 1012 svchost.exe TermService',
    'tcp 127.0.0.1:8005 2222 tomcat9.exe -',
    'tcp 203.0.113.10:53 1700 dns.exe -',
    'tcp :::80 4 - -',
    'tcp fe80::1c2b:3a4d:5e6f:7a8b%6:139 4 - -',
    'udp 0.0.0.0:123 1100 svchost.exe W32Time',
    'udp :::53 1700 dns.exe -',
  ]);
  assert.equal(slice.listeners[3]!.loopback, true);
  assert.equal(slice.listeners[0]!.allInterfaces, true);
  assert.equal(slice.listeners[4]!.source.line, 15);
  assert.match(parseNetstat('x.txt', 'hello world').problems[0]!.reason, /not netstat/);
});

test('systeminfo (English, en-gb dates): OS, build, role, domain, hotfixes', () => {
  const { slice, problems } = parseSysteminfo('systeminfo.txt', F['systeminfo.txt']!);
  assert.deepEqual(problems, []);
  const s = slice.system;
  assert.equal(s.hostName!.value, 'WEB01');
  assert.equal(s.hostName!.source.line, 2);
  assert.equal(s.osBuild!.value, 20348);
  assert.equal(s.osKernel!.value, '10.0');
  assert.equal(s.domainRole!.value, 'member-server');
  assert.equal(s.domain!.value, 'corp.example.org');
  assert.equal(s.installDate!.value.iso, '2023-02-14');
  assert.equal(s.bootTime!.value.iso, '2024-01-03', 'en-gb writes the day first');
  assert.equal(s.hotfixesReported!.value, 3);
  assert.deepEqual(slice.hotfixes.hotfixes.map((h) => h.id), ['KB5034439', 'KB5034770', 'KB5034856']);
});

test('systeminfo in another language is read by position (UTF-16 capture)', () => {
  const ru = [
    'Имя узла:                         DC',
    'Название ОС:                      Microsoft Windows Server 2016 Standard',
    'Версия ОС:                        10.0.14393 Н/Д построение 14393',
    'Изготовитель ОС:                  Microsoft Corporation',
    'Параметры ОС:                     Резервный контроллер домена',
    ...Array.from({ length: 23 }, (_, i) => `Поле ${i}:                          x`),
    'Домен:                            corp',
    'Сервер входа в сеть:              \\\\DC',
    'Исправление(я):                   Число установленных исправлений - 1.',
    '                                  [01]: KB5034767',
  ].join('\n');
  const { slice } = parseSysteminfo('ru.txt', encode(ru, 'utf-16le-bom'));
  assert.equal(slice.system.hostName!.value, 'DC');
  assert.equal(slice.system.osBuild!.value, 14393);
  assert.equal(slice.system.domainRole!.value, 'backup-dc');
  assert.equal(slice.system.domain!.value, 'corp');
  assert.deepEqual(slice.hotfixes.hotfixes.map((h) => h.id), ['KB5034767']);
});

test('wmic qfe CSV (UTF-16LE, \\r\\r\\n) and Get-HotFix JSON', () => {
  const q = parseWmicQfe('qfe.csv', F['qfe.csv']!);
  assert.deepEqual(q.problems, []);
  assert.deepEqual(q.slice.hotfixes.map((h) => [h.id, h.installedOn, h.description]), [
    ['KB5034439', '2024-02-14', 'Update'],
    ['KB5034770', '2024-02-14', 'Security Update'],
    ['KB5034856', '2024-03-01', 'Security Update'],
  ]);
  const j = parseHotfixJson('hotfix.json', F['hotfix.json']!);
  assert.deepEqual(j.problems, []);
  assert.deepEqual(j.slice.hotfixes.map((h) => [h.id, h.installedOn, h.source.line]), [['KB5034439', '2024-02-14', 4], ['KB5034856', '2024-03-01', 13]]);
  const bad = parseHotfixJson('bad.json', '[{"HotFixID": ');
  assert.equal(bad.problems[0]!.severity, 'error');
  assert.match(bad.problems[0]!.reason, /invalid JSON/);
});

test('wmic qfe fixed-width table', () => {
  const table = 'Caption                                     CSName  Description      HotFixID   InstalledOn  \n' + 'http://support.microsoft.com/?kbid=2894852  SRV     Security Update  KB2894852  3/17/2019    \n';
  const r = parseWmicQfe('qfe.txt', encode(table, 'utf-16le-bom'));
  assert.deepEqual(r.slice.hotfixes.map((h) => [h.id, h.installedOn, h.description]), [['KB2894852', '2019-03-17', 'Security Update']]);
});

test('net user list, net user NAME (wrapped comment, groups on two lines), net localgroup NAME', () => {
  const list = parseNetList('net-user.txt', F['net-user.txt']!, 'users');
  assert.deepEqual(Object.values(list.slice.users).map((u) => u.name), ['Administrator', 'backup_svc', 'DefaultAccount', 'Guest', 'WDAGUtilityAccount', 'webadmin']);
  assert.equal(list.slice.computer!.value, 'WEB01');
  assert.equal(list.slice.userListComplete, true);

  const guest = parseNetUser('net-user-guest.txt', F['net-user-guest.txt']!).slice.users['guest']!;
  assert.equal(guest.active!.value, true);
  assert.equal(guest.active!.source.line, 7);
  assert.equal(guest.comment!.value, 'Built-in account for guest access to the computer/domain');
  assert.equal(guest.lastLogon!.value.iso, null);
  assert.equal(guest.passwordRequired!.value, false);
  assert.deepEqual(guest.localGroups!.value, ['Guests', 'Remote Desktop Users', 'Users']);

  const admins = parseNetLocalgroup('admins.txt', F['net-localgroup-administrators.txt']!).slice.groups['administrators']!;
  assert.deepEqual(admins.members!.map((m) => m.value), ['Administrator', 'CORP\\Domain Admins', 'webadmin']);
  assert.equal(admins.members![1]!.source.line, 8);
  assert.match(admins.comment!.value, /complete and unrestricted/);
  assert.equal(parseNetLocalgroup('x.txt', 'nothing').problems[0]!.severity, 'error');
});
