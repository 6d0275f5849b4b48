// Invariants over the whole catalog (ESLint-style): ids equal file names and are unique, every
// rule is documented, and every failure any rule can produce carries evidence and a fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULE_AREAS, type AnyRule } from './define.js';
import { RULES } from './index.js';
import { emptyHostState, type HostState } from '../host/state.js';
import { check, hostFrom, regText, seceditText, services, system, accounts, adapters, firewall, listeners, dns, auditPolicy, acl, s } from './testing.js';
import { appHost } from './iis/fixtures.js';

// Compiled tests run from dist/src/rules; the sources are two levels further up.
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'rules');

test('the catalog lists every rule module exactly once, and ids equal file names', () => {
  const files: string[] = [];
  for (const area of RULE_AREAS) {
    for (const f of readdirSync(join(SRC, area))) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f === 'fixtures.ts') continue;
      if (!/defineRule\(/.test(readFileSync(join(SRC, area, f), 'utf8'))) continue;
      files.push(`${area}/${f.slice(0, -3)}`);
    }
  }
  const ids = RULES.map((r) => `${r.area}/${r.id}`);
  assert.deepEqual([...ids].sort(), [...files].sort());
  assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length, 'ids are unique');
});

for (const r of RULES as readonly AnyRule[]) {
  test(`${r.id}: metadata is complete`, () => {
    assert.match(r.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    assert.ok(r.title.length > 10 && r.failureTitle.length > 10 && r.title !== r.failureTitle);
    assert.ok(r.rationale.length >= 120, 'rationale explains why in a few sentences');
    assert.ok(r.remediation.length >= 30);
    assert.ok(r.references.length >= 1);
    assert.ok(r.references.some((x) => /^https:\/\/(learn\.microsoft\.com|support\.microsoft\.com|www\.iana\.org|www\.catalog\.update\.microsoft\.com)\//.test(x)), 'at least one primary-source URL');
    assert.ok((RULE_AREAS as readonly string[]).includes(r.area));
  });
}

/**
 * Hostile and careless HostStates: every rule runs over each; nothing may throw (an `error`
 * finding), and every failure must carry evidence items and fix operations.
 */
function worstHost(): HostState {
  const TS = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server';
  return hostFrom(
    {
      'applicationHost.config': appHost({
        sites: [
          { name: 'A', bindings: ['http/*:80:', 'https/*:443:'], logFile: 'enabled="false" logFormat="IIS"' },
          { name: 'B', physicalPath: 'C:\\web\\b' },
        ],
        pools: [{ name: 'DefaultAppPool', identityType: 'LocalSystem' }],
        log: '<log centralLogFileMode="CentralBinary" />',
        locations: { A: '<system.webServer><directoryBrowse enabled="true" /><handlers accessPolicy="Read, Write, Script"><add name="ASPClassic" path="*.asp" scriptProcessor="%windir%\\system32\\inetsrv\\asp.dll" /></handlers><webdav><authoring enabled="true" /></webdav><httpErrors errorMode="Detailed" /><security><requestFiltering allowDoubleEscaping="true"><requestLimits maxUrl="65536" /></requestFiltering></security></system.webServer><system.web><compilation debug="true" /><customErrors mode="Off" /><trace enabled="true" /></system.web>' },
        webServer: '<globalModules><add name="CgiModule" image="cgi.dll" /></globalModules><httpProtocol><customHeaders><add name="X-Powered-By" value="ASP.NET" /></customHeaders></httpProtocol><security><isapiCgiRestriction notListedIsapisAllowed="true" notListedCgisAllowed="true" /><authentication><anonymousAuthentication enabled="true" userName="Administrator" /></authentication></security>',
      }),
      'ts.reg': { text: regText({ [TS]: { fDenyTSConnections: 0 }, [`${TS}\\WinStations\\RDP-Tcp`]: { SecurityLayer: 0, UserAuthentication: 0, MinEncryptionLevel: 1, PortNumber: 3389, fPromptForPassword: 0 } }), key: TS },
      'pol.reg': { text: regText({ 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services': { fEncryptRPCTraffic: 0 } }), key: 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services' },
      'system.reg': {
        text: regText({
          'HKLM\\SYSTEM\\CurrentControlSet': { x: 1 },
          'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters': { SMB1: 1, RequireSecuritySignature: 0, RestrictNullSessAccess: 0, NullSessionShares: ['X$'], NullSessionPipes: ['browser'] },
          'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa': { RestrictAnonymous: 0, RestrictAnonymousSAM: 0 },
          'HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10': { Start: 2 },
          'HKLM\\SYSTEM\\CurrentControlSet\\Services\\SNMP\\Parameters\\ValidCommunities': { public: 4 },
          'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\SSL 2.0\\Server': { Enabled: 1 },
          'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\SSL 3.0\\Server': { Enabled: 1 },
          'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server': { Enabled: 0 },
        }),
        key: 'HKLM\\SYSTEM\\CurrentControlSet',
      },
      'sw.reg': { text: regText({ 'HKLM\\SOFTWARE': { x: 1 }, 'HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319': { SchUseStrongCrypto: 0 }, 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters': { AllowEncryptionOracle: 2 }, 'HKLM\\SOFTWARE\\Classes\\CLSID\\{0D43FE01-F093-11CF-8940-00A0C9054228}': { '': 'FSO' } }), key: 'HKLM\\SOFTWARE' },
      'secpol.inf': seceditText({
        'System Access': { MinimumPasswordLength: 4, PasswordComplexity: 0, ClearTextPassword: 1, LockoutBadCount: 0, MaximumPasswordAge: -1, PasswordHistorySize: 0, EnableGuestAccount: 1, NewAdministratorName: '"Administrator"' },
        'Privilege Rights': { SeRemoteInteractiveLogonRight: '*S-1-1-0', SeDenyRemoteInteractiveLogonRight: '*S-1-5-113' },
      }),
    },
    {
      system: system(9600, 'Microsoft Windows Server 2012 R2 Standard'),
      services: services(['SMTPSVC', 'WSearch', 'mnmsrvc', 'SharedAccess', 'RemoteRegistry', 'TlntSvr', 'FTPSVC', 'NntpSvc', 'SNMP', 'Spooler', 'Browser', 'LanmanServer', 'W3SVC', 'DNS'].map((name) => ({ name, start: 'auto' as const, state: 'running' as const }))),
      accounts: accounts([{ name: 'Administrator', active: true, lastLogon: '2020-01-01T00:00:00' }, { name: 'Guest', active: true, lastLogon: null }, { name: 'IUSR_WEB01', active: true }], { Administrators: ['Administrator', 'stranger'] }),
      adapters: adapters([{ name: 'Internet', ips: ['203.0.114.7'], netbios: 1, smbBound: true }]),
      firewall: firewall({ domain: [false, 'allow'], private: [false, 'allow'], public: [false, 'allow'] }),
      listeners: listeners([['tcp', '0.0.0.0', 23], ['tcp', '0.0.0.0', 21]]),
      dns: dns({ recursionEnabled: s(true), secureResponses: s(false), enableVersionQuery: s(1), listenAddresses: s([]), allAddresses: s(['10.0.0.1', '203.0.114.7']), rootHints: s([{ name: 'a.root-servers.net', addresses: ['1.2.3.4'] }]), zones: [{ name: 'example.org', secureSecondaries: s(0), allowUpdate: s(1) }] }),
      hotfixes: { hotfixes: [{ id: 'KB1', installedOn: '2020-01-01', source: { artifact: 'qfe.csv', line: 2 } }] },
      auditPolicy: auditPolicy({}),
      acls: { paths: { ...acl('C:\\inetpub\\wwwroot', [['Everyone', 'F', true]]).paths, ...acl('C:\\Windows\\System32\\inetsrv\\config', [['BUILTIN\\Users', 'M', true]]).paths, ...acl('C:\\inetpub\\logs\\LogFiles', [['BUILTIN\\Users', 'M', true]]).paths } },
      antivirus: { properties: {}, antivirusSignatureAge: s(90), realTimeProtectionEnabled: s(false), antivirusEnabled: s(false) },
      iis6: { keys: { '/lm/w3svc': { location: '/LM/W3SVC', keyType: 'IIsWebService', properties: { accessflags: { name: 'AccessFlags', ...s('AccessRead | AccessWrite') }, websvcextrestrictionlist: { name: 'WebSvcExtRestrictionList', ...s('1,*.dll 1,*.exe') }, anonymoususername: { name: 'AnonymousUserName', ...s('IUSR_WEB01') } }, source: { artifact: 'MetaBase.xml', line: 3 } } } },
    },
    { host: 'WEB01' },
  );
}

const HOSTS: Array<[string, HostState]> = [
  ['empty bundle', emptyHostState()],
  ['careless server', worstHost()],
];

for (const [name, state] of HOSTS) {
  test(`every rule judges the ${name} without throwing; failures carry evidence and fixes`, () => {
    const seen = new Map<string, number>();
    for (const r of RULES as readonly AnyRule[]) {
      const f = check(r, state, { requiredHotfixes: ['KB5005039'] });
      seen.set(f.status, (seen.get(f.status) ?? 0) + 1);
      assert.notEqual(f.status, 'error', `${r.id}: ${f.evidence.summary}`);
      assert.ok(f.evidence.summary.length > 0, `${r.id}: summary`);
      if (f.status === 'fail') {
        assert.ok((f.evidence.items ?? []).length > 0, `${r.id}: evidence items`);
        assert.ok((f.fix ?? []).length > 0, `${r.id}: fix operations`);
        for (const op of f.fix ?? []) assert.ok(op.op === 'manualStep' ? op.text.length > 0 : op.reason.length > 0, `${r.id}: every operation says why`);
      }
      if (f.status === 'manual') assert.ok((f.commands ?? []).length > 0, `${r.id}: manual names a command`);
    }
    if (name === 'empty bundle') assert.equal(seen.get('pass'), undefined, 'an empty bundle never passes anything silently');
  });
}

test('the careless server fails every rule that can be judged from what it exposes', () => {
  const state = worstHost();
  const notFailing = (RULES as readonly AnyRule[]).map((r) => [r.id, check(r, state, { requiredHotfixes: ['KB5005039'] }).status] as const).filter(([, st]) => st !== 'fail');
  // The careless host is built so that every rule has something to fail on: a rule that does not
  // fail here either lost its failure path or misreads the artifacts.
  assert.deepEqual(notFailing, [], JSON.stringify(notFailing));
});
