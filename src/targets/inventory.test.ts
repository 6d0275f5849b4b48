import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortcullisError } from '../core/errors.js';
import { loadInventory, parseInventory, inventoryMatch } from './inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-targets-inv-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const GOOD = `# lab inventory
domains: [corp.example]
roles:
  web:
    tcp: [80, 443]
    description: IIS front end
  dns: { tcp: [53], udp: [53] }
  rpc-dynamic: { tcp: ["49152-65535", 135] }
  bare: {}
hosts:
  - name: web01
    address: 127.15.10.1
    names: [web01.corp.example, www.corp.example]
    roles: [web]
  - name: dc01
    addresses: [127.15.10.2, "2001:DB8::2"]
    roles: [dns, rpc-dynamic]
    description: domain controller
  - name: sealed
    address: 127.15.10.3
    roles: []
`;

test('inventory: a valid file loads with roles, hosts, ports and domains', () => {
  const inv = parseInventory(GOOD, 'inv.yaml');
  assert.deepEqual(inv.domains, ['corp.example']);
  assert.deepEqual([...inv.roles.keys()], ['web', 'dns', 'rpc-dynamic', 'bare']);
  assert.deepEqual(inv.roles.get('web'), { name: 'web', tcp: [{ first: 80, last: 80 }, { first: 443, last: 443 }], udp: [], description: 'IIS front end', line: 4 });
  assert.deepEqual(inv.roles.get('rpc-dynamic')?.tcp, [{ first: 135, last: 135 }, { first: 49152, last: 65535 }]);
  assert.equal(inv.hosts.length, 3);
  const dc = inv.hosts[1];
  assert.deepEqual(dc?.addresses, ['127.15.10.2', '2001:db8::2']);
  assert.equal(dc?.description, 'domain controller');
  assert.equal(dc?.line, 15);
  assert.deepEqual(inv.hosts[2]?.roles, []);
});

test('inventory: matching by address (any spelling), by name, and through owned domains', () => {
  const inv = parseInventory(GOOD, 'inv.yaml');
  const cases: Array<[string, string[], string | null]> = [
    ['127.15.10.1', [], 'web01'],
    ['2001:db8:0::2', [], 'dc01'],
    ['127.15.10.99', [], null],
    ['127.15.10.99', ['WWW.corp.example.'], 'web01'],
    ['127.15.10.99', ['dc01.corp.example'], 'dc01'], // FQDN in an owned zone ↔ short inventory name
    ['127.15.10.99', ['web01'], 'web01'],
    ['127.15.10.99', ['dc01.other.example'], null], // not an owned zone
    ['127.15.10.99', ['sealed.sub.corp.example'], null], // only one label is stripped
    ['not-an-address', ['nothing'], null],
  ];
  for (const [address, names, want] of cases) {
    assert.equal(inv.findHost(address, names)?.name ?? null, want, `${address} ${names.join(',')}`);
  }
  const noDomains = parseInventory(GOOD.replace('domains: [corp.example]\n', ''), 'inv.yaml');
  assert.equal(noDomains.findHost('127.15.10.99', ['dc01.corp.example']), null);
  const web = inv.findHost('127.15.10.1');
  assert.ok(web);
  assert.deepEqual(inventoryMatch(web), { name: 'web01', roles: ['web'] });
});

test('inventory: approvals per role, protocol and range', () => {
  const inv = parseInventory(GOOD, 'inv.yaml');
  const dc = inv.findHost('127.15.10.2');
  const web = inv.findHost('127.15.10.1');
  const sealed = inv.findHost('127.15.10.3');
  assert.ok(dc && web && sealed);
  const cases: Array<[typeof dc, number, 'tcp' | 'udp', string[]]> = [
    [web, 443, 'tcp', ['web']],
    [web, 443, 'udp', []],
    [web, 22, 'tcp', []],
    [dc, 53, 'udp', ['dns']],
    [dc, 53, 'tcp', ['dns']],
    [dc, 50000, 'tcp', ['rpc-dynamic']],
    [dc, 49151, 'tcp', []],
    [sealed, 80, 'tcp', []],
  ];
  for (const [host, port, proto, want] of cases) {
    assert.deepEqual(inv.approvingRoles(host, port, proto).map((r) => r.name), want, `${host.name} ${port}/${proto}`);
  }
  assert.deepEqual(inv.approvedPorts(dc, 'tcp'), [{ first: 53, last: 53 }, { first: 135, last: 135 }, { first: 49152, last: 65535 }]);
});

/** Each bad inventory: text, expected line:column of the first problem, message pattern. */
const BAD: Array<[string, string, string, RegExp]> = [
  ['unknown role', 'roles:\n  web: { tcp: [80] }\nhosts:\n  - name: a\n    address: 127.15.10.1\n    roles: [wbe]\n', '6:13', /host 'a' refers to role 'wbe', which is not defined \(did you mean 'web'\?\)/],
  ['unknown role, none similar', 'roles:\n  web: { tcp: [80] }\nhosts:\n  - name: a\n    address: 127.15.10.1\n    roles: [database]\n', '6:13', /role 'database', which is not defined \(defined roles: web\)/],
  ['port 0', 'roles:\n  web: { tcp: [80, 0] }\nhosts: []\n', '2:20', /role 'web' tcp: port 0 is not valid; ports run from 1 to 65535/],
  ['port too high', 'roles:\n  web:\n    udp: [65536]\nhosts: []\n', '3:11', /role 'web' udp: port 65536 is larger than 65535/],
  ['reversed range', 'roles:\n  rpc: { tcp: ["2000-1000"] }\nhosts: []\n', '2:16', /range 2000-1000 is reversed/],
  ['hex port', 'roles:\n  web: { tcp: [0x50] }\nhosts: []\n', '2:16', /'0x50' is not a whole port number/],
  ['port not a list', 'roles:\n  web: { tcp: 80 }\nhosts: []\n', '2:15', /role 'web' tcp must be a list/],
  ['duplicate host name', 'hosts:\n  - name: web01\n    address: 127.15.10.1\n    roles: []\n  - name: WEB01\n    address: 127.15.10.2\n    roles: []\n', '5:11', /host name 'WEB01' is already used by the host on line 2/],
  ['duplicate address', 'hosts:\n  - name: a\n    address: 127.15.10.1\n    roles: []\n  - name: b\n    addresses: [127.15.10.1]\n    roles: []\n', '6:17', /address 127\.15\.10\.1 of host 'b' is already given to host 'a' \(line 2\)/],
  ['address not an IP', 'hosts:\n  - name: a\n    address: 300.1.1.1\n    roles: []\n', '3:14', /address '300\.1\.1\.1' of host 'a' is not an IP address: 300 is larger than 255/],
  ['address is a block', 'hosts:\n  - name: a\n    address: 10.0.0.0/24\n    roles: []\n', '3:14', /not an IP address.*single addresses, not blocks/],
  ['no address', 'hosts:\n  - name: a\n    roles: []\n', '2:5', /host 'a' has no address; give 'address:' or 'addresses:'/],
  ['both address forms', 'hosts:\n  - name: a\n    address: 127.15.10.1\n    addresses: [127.15.10.2]\n    roles: []\n', '4:5', /both 'address' and 'addresses'/],
  ['no roles key', 'hosts:\n  - name: a\n    address: 127.15.10.1\n', '2:5', /has no 'roles:' list; write roles: \[\]/],
  ['no name', 'hosts:\n  - address: 127.15.10.1\n    roles: []\n', '2:5', /a host has no 'name'/],
  ['unknown host key', 'hosts:\n  - name: a\n    adress: 127.15.10.1\n    roles: []\n', '2:5', /host 'a' has no address/],
  ['unknown top key', 'roles: {}\nhost: []\n', '1:1', /the inventory has no 'hosts:' list/],
  ['unknown role key', 'roles:\n  web: { tcp: [80], tpc: [443] }\nhosts: []\n', '2:21', /unknown key 'tpc' in role 'web' \(did you mean 'tcp'\?\)/],
  ['bad name', 'hosts:\n  - name: a\n    address: 127.15.10.1\n    names: ["bad name"]\n    roles: []\n', '4:13', /name 'bad name' of host 'a' is not a DNS name: .*contains ' '/],
  ['bad domain', 'domains: [corp..example]\nhosts: []\n', '1:11', /domain 'corp\.\.example' is not a DNS name/],
  ['hosts not a list', 'hosts: { a: 1 }\n', '1:8', /'hosts' must be a list/],
  ['top not a map', '- a\n- b\n', '1:1', /must be a mapping with the keys 'roles', 'hosts'/],
  ['YAML duplicate key', 'roles:\n  web: { tcp: [80] }\n  web: { tcp: [443] }\nhosts: []\n', '3:3', /YAML syntax error: the same key appears twice in one mapping/],
  ['YAML unclosed flow', 'roles:\n  web: { tcp: [80, 443 }\nhosts: []\n', '2:24', /YAML syntax error: Flow sequence .* end with a \]/],
  ['YAML tab indent', 'hosts:\n\t- name: a\n', '2:1', /YAML syntax error: a tab is used for indentation/],
  ['two documents', 'hosts: []\n---\nhosts: []\n', '2:1', /more than one YAML document/],
  ['empty address list', 'hosts:\n  - name: a\n    addresses: []\n    roles: []\n', '3:16', /addresses of host 'a' is an empty list/],
  ['role not a mapping', 'roles:\n  web:\nhosts: []\n', '2:7', /role 'web' must be a mapping like/],
  ['host not a mapping', 'hosts:\n  - [1]\n', '2:5', /each host must be a mapping/],
  ['unknown alias', 'roles:\n  web: { tcp: *ports }\nhosts: []\n', '2:15', /alias \*ports refers to no anchor/],
];

test('inventory: every problem is reported with file, line, column and what is wrong', () => {
  for (const [label, text, pos, why] of BAD) {
    assert.throws(
      () => parseInventory(text, 'lab.yaml'),
      (e: unknown) => {
        assert.ok(e instanceof PortcullisError, label);
        assert.equal(e.code, 'E_INVENTORY', label);
        assert.equal(e.where?.file, 'lab.yaml', label);
        assert.ok(typeof e.where?.line === 'number', `${label}: has a line`);
        assert.ok(e.describe().startsWith(`lab.yaml:${pos}`), `${label}: ${e.describe()} should start at lab.yaml:${pos}`);
        assert.match(e.message, why, label);
        return true;
      },
      label,
    );
  }
});

test('inventory: unknown keys suggest the closest allowed key', () => {
  assert.throws(
    () => parseInventory('hosts:\n  - name: a\n    adress: 127.15.10.1\n    roles: []\n', 'lab.yaml'),
    (e: unknown) => e instanceof PortcullisError && /lab\.yaml:3:5: unknown key 'adress' in a host \(did you mean 'address'\?\)/.test(e.describe()),
  );
});

test('inventory: several problems are reported together, in file order', () => {
  const text = 'roles:\n  web: { tcp: [0] }\nhosts:\n  - name: a\n    address: 1.2.3\n    roles: [nope]\n';
  assert.throws(
    () => parseInventory(text, 'lab.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof PortcullisError);
      const lines = e.describe().split('\n');
      assert.equal(lines.length, 3, e.describe());
      assert.match(lines[0] as string, /^lab\.yaml:2:16: .*port 0/);
      assert.match(lines[1] as string, /^ {2}lab\.yaml:5:14: .*not an IP address/);
      assert.match(lines[2] as string, /^ {2}lab\.yaml:6:13: .*role 'nope'/);
      return true;
    },
  );
});

test('inventory: empty file is refused', () => {
  for (const text of ['', '# only a comment\n', '~\n']) {
    assert.throws(() => parseInventory(text, 'e.yaml'), /inventory e\.yaml is empty; it needs at least a 'hosts:' list/);
  }
});

test('inventory files: read from disk, UTF-16LE accepted, unreadable files name the OS reason', async () => {
  const good = join(dir, 'good.yaml');
  writeFileSync(good, GOOD);
  assert.equal((await loadInventory(good)).hosts.length, 3);

  const utf16 = join(dir, 'utf16.yaml');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD.replace(/\n/g, '\r\n'), 'utf16le')]));
  const inv16 = await loadInventory(utf16);
  assert.equal(inv16.findHost('127.15.10.2')?.name, 'dc01');

  const bom = join(dir, 'bom.yaml');
  writeFileSync(bom, `\ufeff${GOOD}`);
  assert.equal((await loadInventory(bom)).hosts.length, 3);

  const badAt = join(dir, 'bad.yaml');
  writeFileSync(badAt, 'hosts:\n  - name: a\n    address: 127.15.10.1\n    roles: [web]\n');
  await assert.rejects(loadInventory(badAt), (e: unknown) => e instanceof PortcullisError && e.describe().startsWith(`${badAt}:4:13: host 'a' refers to role 'web'`));

  const cases: Array<[string, RegExp]> = [[join(dir, 'missing.yaml'), /cannot read inventory .*missing\.yaml: no such file \(ENOENT\)/]];
  const sub = join(dir, 'folder.yaml');
  mkdirSync(sub, { recursive: true });
  cases.push([sub, /cannot read inventory .*folder\.yaml: it is a directory, not a file \(EISDIR\)/]);
  if (process.getuid?.() !== 0) {
    const locked = join(dir, 'locked.yaml');
    writeFileSync(locked, GOOD);
    chmodSync(locked, 0o000);
    cases.push([locked, /permission denied \(EACCES\)/]);
  }
  for (const [path, why] of cases) {
    await assert.rejects(loadInventory(path), (e: unknown) => {
      assert.ok(e instanceof PortcullisError);
      assert.equal(e.code, 'E_INVENTORY');
      assert.equal(e.where?.file, path);
      assert.match(e.message, why);
      return true;
    });
  }
  const binary = join(dir, 'binary.yaml');
  writeFileSync(binary, Buffer.from([0x68, 0x00, 0x6f, 0x00, 0x00]));
  await assert.rejects(loadInventory(binary), /NUL bytes/);
});

test('inventory: the example of PRODUCT.md §Inventory and policy loads as written', () => {
  const inv = parseInventory(
    'roles:\n  web: { tcp: [80, 443] }\n  dns: { tcp: [53], udp: [53] }\nhosts:\n  - name: web01\n    address: 192.0.2.10\n    roles: [web]\n',
    'product.yaml',
  );
  const web01 = inv.findHost('192.0.2.10');
  assert.equal(web01?.name, 'web01');
  assert.ok(web01);
  assert.deepEqual(inv.approvingRoles(web01, 443, 'tcp').map((r) => r.name), ['web']);
  assert.deepEqual(inv.approvingRoles(web01, 53, 'udp'), []);
});
