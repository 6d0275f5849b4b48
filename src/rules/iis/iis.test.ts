import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyRule } from '../define.js';
import { acl, assertCase, check, hostFrom, regText, services, type Case } from '../testing.js';
import { appHost, DEFAULT_WEBSERVER, webConfig } from './fixtures.js';
import { aspnetCustomErrorsEnabled } from './aspnet-custom-errors-enabled.js';
import { aspnetDebugDisabled } from './aspnet-debug-disabled.js';
import { aspnetTraceDisabled } from './aspnet-trace-disabled.js';
import { aspnetVersionHeaderDisabled } from './aspnet-version-header-disabled.js';
import { iis6WebServiceExtensionsRestricted } from './iis6-web-service-extensions-restricted.js';
import { iis6WriteAccessDisabled } from './iis6-write-access-disabled.js';
import { iisAnonymousIdentity } from './iis-anonymous-identity.js';
import { iisAppPoolIdentity } from './iis-app-pool-identity.js';
import { iisAppPoolPerSite } from './iis-app-pool-per-site.js';
import { iisConfigFolderAcl } from './iis-config-folder-acl.js';
import { iisContentNotWritable } from './iis-content-not-writable.js';
import { iisContentOffSystemDrive } from './iis-content-off-system-drive.js';
import { iisDetailedErrorsHidden } from './iis-detailed-errors-hidden.js';
import { iisDirectoryBrowsingDisabled } from './iis-directory-browsing-disabled.js';
import { iisDoubleEscapingDenied } from './iis-double-escaping-denied.js';
import { iisDynamicIpRestrictions } from './iis-dynamic-ip-restrictions.js';
import { iisFilesystemobjectDisabled } from './iis-filesystemobject-disabled.js';
import { iisHighBitCharactersDenied } from './iis-high-bit-characters-denied.js';
import { iisHstsEnabled } from './iis-hsts-enabled.js';
import { iisHttpsBinding } from './iis-https-binding.js';
import { iisIsapiCgiRestricted } from './iis-isapi-cgi-restricted.js';
import { iisNoWriteWithScriptAccess } from './iis-no-write-with-script-access.js';
import { iisOptionsVerbDenied } from './iis-options-verb-denied.js';
import { iisRequestLimitsNotRaised } from './iis-request-limits-not-raised.js';
import { iisServerHeaderRemoved } from './iis-server-header-removed.js';
import { iisSslRequired } from './iis-ssl-required.js';
import { iisTraceVerbDenied } from './iis-trace-verb-denied.js';
import { iisUnneededModulesRemoved } from './iis-unneeded-modules-removed.js';
import { iisUrlSequencesDenied } from './iis-url-sequences-denied.js';
import { iisWebdavDisabled } from './iis-webdav-disabled.js';
import { iisXPoweredByRemoved } from './iis-x-powered-by-removed.js';

type Spec = Parameters<typeof appHost>[0];
const iis = (spec: Spec = {}, more: Record<string, string | { text: string; site?: string; virtualPath?: string }> = {}) => hostFrom({ 'applicationHost.config': appHost(spec), ...more });
// A config file holds each section once per level, so test settings go in the site's <location>.
const ws = (inner: string) => ({ locations: { 'Default Web Site': `<system.webServer>${inner}</system.webServer>` } });
const site = (name: string, inner: string) => ({ locations: { [name]: inner } });
/** A DNS-only server: complete service list, no IIS. */
const notIis = hostFrom({}, { services: services([{ name: 'DNS', start: 'auto', state: 'running' }]) });
/** IIS installed (W3SVC) but applicationHost.config not collected. */
const iisNoConfig = hostFrom({}, { services: services([{ name: 'W3SVC', start: 'auto', state: 'running' }]) });
const common = (extra: Case[]): Case[] => [...extra, { name: 'not an IIS server', state: notIis, status: 'not-applicable' }, { name: 'IIS without its configuration', state: iisNoConfig, status: 'manual' }];

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    iisDirectoryBrowsingDisabled,
    common([
      { name: 'off at server level', state: iis(), status: 'pass' },
      { name: 'switched on for one site in a <location>', state: iis(site('Default Web Site', '<system.webServer><directoryBrowse enabled="true" /></system.webServer>')), status: 'fail', item: /Default Web Site: directoryBrowse@enabled true/ },
      {
        name: 'switched on by the site web.config',
        state: iis({}, { 'web.config': { text: webConfig('<system.webServer><directoryBrowse enabled="true" /></system.webServer>'), site: 'Default Web Site', virtualPath: '/' } }),
        status: 'fail',
        summary: /Default Web Site/,
      },
      { name: 'a lone web.config that enables it', state: hostFrom({ 'web.config': webConfig('<system.webServer><directoryBrowse enabled="true" /></system.webServer>') }), status: 'fail' },
    ]),
  ],
  [
    iisTraceVerbDenied,
    common([
      { name: 'not denied (allowUnlisted)', state: iis(), status: 'fail' },
      { name: 'denied at server level', state: iis({ webServer: DEFAULT_WEBSERVER.replace('<verbs allowUnlisted="true" />', '<verbs allowUnlisted="true"><add verb="TRACE" allowed="false" /></verbs>') }), status: 'pass' },
      { name: 'allow-list without TRACE', state: iis({ webServer: DEFAULT_WEBSERVER.replace('<verbs allowUnlisted="true" />', '<verbs allowUnlisted="false"><add verb="GET" allowed="true" /><add verb="POST" allowed="true" /></verbs>') }), status: 'pass' },
      {
        name: 'denied at server level, re-allowed by a site',
        state: iis({ webServer: DEFAULT_WEBSERVER.replace('<verbs allowUnlisted="true" />', '<verbs><add verb="TRACE" allowed="false" /></verbs>'), ...site('Default Web Site', '<system.webServer><security><requestFiltering><verbs><remove verb="TRACE" /></verbs></requestFiltering></security></system.webServer>') }),
        status: 'fail',
      },
    ]),
  ],
  [iisOptionsVerbDenied, common([{ name: 'not denied', state: iis(), status: 'fail' }, { name: 'denied', state: iis({ webServer: DEFAULT_WEBSERVER.replace('<verbs allowUnlisted="true" />', '<verbs><add verb="OPTIONS" allowed="false" /></verbs>') }), status: 'pass' }])],
  [
    iisWebdavDisabled,
    common([
      { name: 'no webdav section', state: iis(), status: 'pass' },
      { name: 'authoring on', state: iis(ws('<webdav><authoring enabled="true" /></webdav>')), status: 'fail' },
    ]),
  ],
  [
    iisDynamicIpRestrictions,
    common([
      { name: 'not configured', state: iis(), status: 'fail' },
      { name: 'request rate limit on', state: iis(ws('<security><dynamicIpSecurity><denyByRequestRate enabled="true" maxRequests="50" /></dynamicIpSecurity></security>')), status: 'pass' },
    ]),
  ],
  [iisDoubleEscapingDenied, common([{ name: 'default', state: iis(), status: 'pass' }, { name: 'allowed', state: iis(site('Default Web Site', '<system.webServer><security><requestFiltering allowDoubleEscaping="true" /></security></system.webServer>')), status: 'fail' }])],
  [iisHighBitCharactersDenied, common([{ name: 'default allows', state: iis(), status: 'fail', item: /IIS default/ }, { name: 'denied', state: iis(ws('<security><requestFiltering allowHighBitCharacters="false" /></security>')), status: 'pass' }])],
  [
    iisRequestLimitsNotRaised,
    common([
      { name: 'defaults', state: iis(), status: 'pass' },
      { name: 'raised body limit', state: iis(ws('<security><requestFiltering><requestLimits maxAllowedContentLength="2147483647" /></requestFiltering></security>')), status: 'fail', summary: /maxAllowedContentLength=2147483647/ },
    ]),
  ],
  [
    iisUrlSequencesDenied,
    common([
      { name: 'none denied', state: iis(), status: 'fail' },
      { name: 'all denied', state: iis(ws(`<security><requestFiltering><denyUrlSequences>${['..', './', '\\', ':', '%', '&amp;'].map((x) => `<add sequence="${x}" />`).join('')}</denyUrlSequences></requestFiltering></security>`)), status: 'pass' },
    ]),
  ],
  [
    iisIsapiCgiRestricted,
    common([
      { name: 'both false', state: iis(), status: 'pass' },
      { name: 'unlisted ISAPI allowed', state: iis({ webServer: DEFAULT_WEBSERVER.replace('notListedIsapisAllowed="false"', 'notListedIsapisAllowed="true"') }), status: 'fail', item: /notListedIsapisAllowed.*true/ },
      { name: 'web.config only', state: hostFrom({ 'web.config': webConfig('<system.webServer><directoryBrowse enabled="false" /></system.webServer>') }), status: 'not-applicable' },
    ]),
  ],
  [
    iisUnneededModulesRemoved,
    common([
      { name: 'static only', state: iis(), status: 'pass' },
      { name: 'CGI installed', state: iis({ webServer: DEFAULT_WEBSERVER.replace('</globalModules>', '<add name="CgiModule" image="%windir%\\System32\\inetsrv\\cgi.dll" /></globalModules>') }), status: 'fail', summary: /CgiModule/ },
    ]),
  ],
  [
    iisContentOffSystemDrive,
    common([
      { name: 'default wwwroot', state: iis(), status: 'fail' },
      { name: 'data volume', state: iis({ sites: [{ name: 'Shop', physicalPath: 'D:\\web\\shop', apps: [{ path: '/api', physicalPath: 'E:\\api' }] }] }), status: 'pass' },
      { name: 'application on C:', state: iis({ sites: [{ name: 'Shop', physicalPath: 'D:\\web\\shop', apps: [{ path: '/api', physicalPath: 'C:\\api' }] }] }), status: 'fail', item: /Shop\/api physicalPath C:\\api/ },
    ]),
  ],
  [
    iisContentNotWritable,
    common([
      { name: 'only admins write', state: { ...iis({ sites: [{ name: 'Shop', physicalPath: 'D:\\web' }] }), acls: acl('D:\\web', [['BUILTIN\\Administrators', 'F', true], ['NT AUTHORITY\\SYSTEM', 'F', true], ['BUILTIN\\IIS_IUSRS', 'RX', false]]) }, status: 'pass' },
      { name: 'IIS_IUSRS can modify', state: { ...iis({ sites: [{ name: 'Shop', physicalPath: 'D:\\web' }] }), acls: acl('D:\\web', [['BUILTIN\\Administrators', 'F', true], ['BUILTIN\\IIS_IUSRS', 'M', true]]) }, status: 'fail', item: /IIS_IUSRS/ },
      { name: 'ACL not collected', state: iis({ sites: [{ name: 'Shop', physicalPath: 'D:\\web' }] }), status: 'manual' },
    ]),
  ],
  [
    iisConfigFolderAcl,
    [
      { name: 'default ACL', state: { ...iis(), acls: acl('C:\\Windows\\System32\\inetsrv\\config', [['NT AUTHORITY\\SYSTEM', 'F', true], ['BUILTIN\\Administrators', 'F', true], ['BUILTIN\\Users', 'RX', false]]) }, status: 'pass' },
      { name: 'Users can write', state: { ...iis(), acls: acl('C:\\Windows\\System32\\inetsrv\\config', [['BUILTIN\\Administrators', 'F', true], ['BUILTIN\\Users', 'W', true]]) }, status: 'fail' },
      { name: 'ACL not collected', state: iis(), status: 'manual' },
      { name: 'not an IIS server', state: notIis, status: 'not-applicable' },
    ],
  ],
  [iisNoWriteWithScriptAccess, common([{ name: 'default Read', state: iis(), status: 'pass' }, { name: 'Read, Write, Script', state: iis(ws('<handlers accessPolicy="Read, Write, Script" />')), status: 'fail' }])],
  [
    iisAnonymousIdentity,
    common([
      { name: 'IUSR (shared)', state: iis(), status: 'fail', summary: /shared account IUSR/ },
      { name: 'pool identity', state: iis({ webServer: DEFAULT_WEBSERVER.replace('userName="IUSR"', 'userName=""') }), status: 'pass' },
      { name: 'anonymous off', state: iis({ webServer: DEFAULT_WEBSERVER.replace('<anonymousAuthentication enabled="true" userName="IUSR" />', '<anonymousAuthentication enabled="false" />') }), status: 'pass' },
    ]),
  ],
  [
    iisAppPoolIdentity,
    common([
      { name: 'defaults', state: iis(), status: 'pass' },
      { name: 'LocalSystem → high', state: iis({ pools: [{ name: 'DefaultAppPool' }, { name: 'Legacy', identityType: 'LocalSystem' }] }), status: 'fail', severity: 'high' },
      { name: 'specific user → low', state: iis({ pools: [{ name: 'Svc', identityType: 'SpecificUser', userName: 'CORP\\svc-web' }] }), status: 'fail', severity: 'low' },
      { name: 'NetworkService from the pool defaults', state: iis({ poolDefaults: '<processModel identityType="NetworkService" />' }), status: 'fail', item: /NetworkService/ },
    ]),
  ],
  [
    iisAppPoolPerSite,
    common([
      { name: 'two sites, one pool', state: iis({ sites: [{ name: 'A', pool: 'DefaultAppPool' }, { name: 'B' }] }), status: 'fail', summary: /A → DefaultAppPool/ },
      { name: 'own pools', state: iis({ sites: [{ name: 'A', pool: 'A' }, { name: 'B', pool: 'B' }], pools: [{ name: 'A' }, { name: 'B' }] }), status: 'pass' },
      { name: 'single site', state: iis(), status: 'not-applicable' },
    ]),
  ],
  [
    iisHttpsBinding,
    common([
      { name: 'http only', state: iis(), status: 'fail' },
      { name: 'http and https', state: iis({ sites: [{ name: 'Shop', bindings: ['http/*:80:', 'https/*:443:'] }] }), status: 'pass' },
      { name: 'ftp-only site ignored', state: iis({ sites: [{ name: 'Ftp', bindings: ['ftp/*:21:'] }] }), status: 'not-applicable' },
    ]),
  ],
  [
    iisSslRequired,
    common([
      { name: 'http and https without Ssl flag', state: iis({ sites: [{ name: 'Shop', bindings: ['http/*:80:', 'https/*:443:'] }] }), status: 'fail' },
      { name: 'Ssl required for the site', state: iis({ sites: [{ name: 'Shop', bindings: ['http/*:80:', 'https/*:443:'] }], ...site('Shop', '<system.webServer><security><access sslFlags="Ssl, SslNegotiateCert" /></security></system.webServer>') }), status: 'pass' },
      { name: 'https only', state: iis({ sites: [{ name: 'Shop', bindings: ['https/*:443:'] }] }), status: 'pass' },
    ]),
  ],
  [iisDetailedErrorsHidden, common([{ name: 'default', state: iis(), status: 'pass' }, { name: 'Detailed', state: iis(ws('<httpErrors errorMode="Detailed" />')), status: 'fail' }])],
  [aspnetCustomErrorsEnabled, common([{ name: 'default RemoteOnly', state: iis(), status: 'pass' }, { name: 'Off in web.config', state: iis({}, { 'web.config': { text: webConfig('<system.web><customErrors mode="Off" /></system.web>'), site: 'Default Web Site', virtualPath: '/' } }), status: 'fail' }])],
  [aspnetDebugDisabled, common([{ name: 'default', state: iis(), status: 'pass' }, { name: 'debug="true"', state: iis({}, { 'web.config': { text: webConfig('<system.web><compilation debug="true" targetFramework="4.5" /></system.web>'), site: 'Default Web Site', virtualPath: '/' } }), status: 'fail', item: /compilation@debug true/ }])],
  [aspnetTraceDisabled, common([{ name: 'default', state: iis(), status: 'pass' }, { name: 'on', state: iis({}, { 'web.config': { text: webConfig('<system.web><trace enabled="true" /></system.web>'), site: 'Default Web Site', virtualPath: '/' } }), status: 'fail' }])],
  [iisXPoweredByRemoved, common([{ name: 'default header', state: iis(), status: 'fail', item: /X-Powered-By ASP\.NET/ }, { name: 'removed', state: iis({ webServer: DEFAULT_WEBSERVER.replace('<add name="X-Powered-By" value="ASP.NET" />', '') }), status: 'pass' }])],
  [iisServerHeaderRemoved, common([{ name: 'default', state: iis(), status: 'fail' }, { name: 'removed', state: iis(ws('<security><requestFiltering removeServerHeader="true" /></security>')), status: 'pass' }])],
  [aspnetVersionHeaderDisabled, common([{ name: 'default on', state: iis(), status: 'fail' }, { name: 'off', state: iis({}, { 'web.config': { text: webConfig('<system.web><httpRuntime enableVersionHeader="false" /></system.web>'), site: 'Default Web Site', virtualPath: '/' } }), status: 'pass' }])],
  [
    iisHstsEnabled,
    common([
      { name: 'https without HSTS', state: iis({ sites: [{ name: 'Shop', bindings: ['https/*:443:'] }] }), status: 'fail' },
      { name: 'site hsts element', state: iis({ sites: [{ name: 'Shop', bindings: ['https/*:443:'], hsts: 'enabled="true" max-age="31536000"' }] }), status: 'pass' },
      { name: 'custom header', state: iis({ sites: [{ name: 'Shop', bindings: ['https/*:443:'] }], webServer: DEFAULT_WEBSERVER.replace('<add name="X-Powered-By" value="ASP.NET" />', '<add name="Strict-Transport-Security" value="max-age=31536000" />') }), status: 'pass' },
      { name: 'http-only site', state: iis(), status: 'pass' },
    ]),
  ],
  [
    iisFilesystemobjectDisabled,
    [
      { name: 'no classic ASP', state: iis(), status: 'not-applicable' },
      {
        name: 'ASP and FSO registered',
        state: iis(ws('<handlers><add name="ASPClassic" path="*.asp" verb="GET,HEAD,POST" modules="IsapiModule" scriptProcessor="%windir%\\system32\\inetsrv\\asp.dll" /></handlers>'), {
          'fso.reg': regText({ 'HKCR\\CLSID\\{0D43FE01-F093-11CF-8940-00A0C9054228}': { '': 'FileSystem Object' } }),
        }),
        status: 'fail',
      },
      { name: 'ASP, CLSID not collected', state: iis(ws('<handlers><add name="ASPClassic" path="*.asp" scriptProcessor="%windir%\\system32\\inetsrv\\asp.dll" /></handlers>')), status: 'manual' },
    ],
  ],
  [
    iis6WebServiceExtensionsRestricted,
    [
      { name: 'IIS 7+', state: iis(), status: 'not-applicable' },
      { name: 'unknown ISAPI allowed', state: hostFrom({ 'MetaBase.xml': metabase('WebSvcExtRestrictionList="1,*.dll\n\t0,*.exe\n\t1,C:\\WINDOWS\\system32\\inetsrv\\asp.dll,0,ASP,Active Server Pages"') }), status: 'fail', summary: /ISAPI/ },
      { name: 'only ASP allowed', state: hostFrom({ 'MetaBase.xml': metabase('WebSvcExtRestrictionList="0,*.dll\n\t0,*.exe\n\t1,C:\\WINDOWS\\system32\\inetsrv\\asp.dll,0,ASP,Active Server Pages"') }), status: 'pass' },
    ],
  ],
  [
    iis6WriteAccessDisabled,
    [
      { name: 'IIS 7+', state: iis(), status: 'not-applicable' },
      { name: 'write allowed', state: hostFrom({ 'MetaBase.xml': metabase('AccessFlags="AccessRead | AccessWrite | AccessScript"') }), status: 'fail' },
      { name: 'read and script', state: hostFrom({ 'MetaBase.xml': metabase('AccessFlags="AccessRead | AccessScript"') }), status: 'pass' },
    ],
  ],
];

function metabase(attrs: string): string {
  return `<?xml version ="1.0"?>
<configuration xmlns="urn:microsoft-catalog:XML_Metabase_V64_0">
<MBProperty>
<IIsWebService	Location ="/LM/W3SVC"
\t\t${attrs}
\t>
</IIsWebService>
</MBProperty>
</configuration>
`;
}

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}

test('a failing site names the site and the XPath that decided', () => {
  const f = check(iisDirectoryBrowsingDisabled, iis(site('Default Web Site', '<system.webServer><directoryBrowse enabled="true" /></system.webServer>')));
  const item = f.evidence.items?.[0];
  assert.match(item?.label ?? '', /^Default Web Site: directoryBrowse@enabled$/);
  assert.equal(item?.source?.artifact, 'applicationHost.config');
  assert.match(item?.source?.xpath ?? '', /location\[@path='Default Web Site'\]\/system\.webServer\/directoryBrowse\/@enabled/);
  assert.deepEqual(f.fix?.[0], { op: 'iisSetConfig', section: 'system.webServer/directoryBrowse', element: '', attribute: 'enabled', value: false, location: 'Default Web Site', reason: 'Automatic folder listings reveal files that were never linked.' });
});
