// Synthetic but realistic bundles in the collector's native formats, for the end-to-end test and
// the audit benchmark: a ~100 KB applicationHost.config, a UTF-16 secedit export and registry
// exports, systeminfo and wmic qfe with 200 updates, netstat with 100 listeners, auditpol,
// Get-Service JSON and netsh firewall output. `variant` flips a few settings so that bundles differ
// (and so that both verdicts of several rules are exercised).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface SampleOptions {
  host: string;
  variant: number;
  /** ISO time written to manifest.json. */
  collectedAt?: string;
  sites?: number;
  hotfixes?: number;
  listeners?: number;
}

export interface SampleFile {
  name: string;
  bytes: Uint8Array;
}

const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);

function utf16(text: string): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf16le')]);
}
function utf8bom(text: string): Uint8Array {
  return Buffer.concat([BOM8, Buffer.from(text, 'utf8')]);
}
function ascii(text: string): Uint8Array {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1');
}

const MODULES = [
  'HttpLoggingModule', 'UriCacheModule', 'FileCacheModule', 'TokenCacheModule', 'HttpCacheModule', 'DynamicCompressionModule', 'StaticCompressionModule',
  'DefaultDocumentModule', 'DirectoryListingModule', 'ProtocolSupportModule', 'HttpRedirectionModule', 'ServerSideIncludeModule', 'StaticFileModule',
  'AnonymousAuthenticationModule', 'CertificateMappingAuthenticationModule', 'UrlAuthorizationModule', 'BasicAuthenticationModule', 'WindowsAuthenticationModule',
  'DigestAuthenticationModule', 'IISCertificateMappingAuthenticationModule', 'IpRestrictionModule', 'DynamicIpRestrictionModule', 'RequestFilteringModule',
  'CustomLoggingModule', 'CustomErrorModule', 'IsapiFilterModule', 'IsapiModule', 'FailedRequestsTracingModule', 'ConfigurationValidationModule',
  'RequestMonitorModule', 'TracingModule', 'ManagedEngineV4.0_32bit', 'ManagedEngineV4.0_64bit', 'ApplicationInitializationModule', 'WebSocketModule',
  'RewriteModule', 'ApplicationRequestRouting', 'WebDAVModule', 'CgiModule', 'FastCgiModule',
];

const EXTENSIONS = 'aac abw arc avi azw bin bmp bz bz2 csh css csv doc docx eot epub gif gz htm html ico ics jar jpeg jpg js json jsonld mid midi mjs mp3 mp4 mpeg mpkg odp ods odt oga ogv ogx opus otf png pdf php ppt pptx rar rtf sh svg swf tar tif tiff ts ttf txt vsd wav weba webm webp woff woff2 xhtml xls xlsx xml xul zip 3gp 3g2 7z'.split(' ');

function applicationHost(o: Required<Pick<SampleOptions, 'variant' | 'sites'>>): string {
  const v = o.variant;
  const mods = MODULES.filter((m) => (m === 'CgiModule' ? v % 5 === 0 : m === 'WebDAVModule' ? v % 7 === 0 : true));
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>', '<!-- IIS configuration: generated sample for portcullis tests -->', '<configuration>');
  out.push('  <configSections>', '    <sectionGroup name="system.applicationHost">', '      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />', '    </sectionGroup>', '  </configSections>');
  out.push('  <system.applicationHost>', '    <applicationPools>');
  for (let s = 0; s < o.sites; s++) out.push(`      <add name="pool${s}" managedRuntimeVersion="v4.0"${s === 0 && v % 4 === 1 ? '>\n        <processModel identityType="LocalSystem" />\n      </add>' : ' />'}`);
  out.push('      <applicationPoolDefaults managedRuntimeVersion="v4.0">', '        <processModel identityType="ApplicationPoolIdentity" loadUserProfile="true" setProfileEnvironment="false" />', '      </applicationPoolDefaults>', '    </applicationPools>');
  out.push('    <log centralLogFileMode="Site" />', '    <sites>');
  for (let s = 0; s < o.sites; s++) {
    out.push(`      <site name="site${s}.example.org" id="${s + 1}" serverAutoStart="true">`);
    out.push(`        <application path="/" applicationPool="pool${s}">`, `          <virtualDirectory path="/" physicalPath="D:\\web\\site${s}" />`, '        </application>');
    out.push(`        <application path="/api" applicationPool="pool${s}">`, `          <virtualDirectory path="/" physicalPath="D:\\web\\site${s}-api" />`, '        </application>');
    out.push('        <bindings>', `          <binding protocol="http" bindingInformation="*:80:site${s}.example.org" />`, `          <binding protocol="https" bindingInformation="*:443:site${s}.example.org" sslFlags="1" />`, '        </bindings>');
    out.push(`        <logFile directory="E:\\IISLogs\\site${s}" />`, '        <hsts enabled="true" max-age="31536000" />', '      </site>');
  }
  out.push('      <siteDefaults>', '        <logFile logFormat="W3C" directory="E:\\IISLogs" period="Daily" />', '        <traceFailedRequestsLogging directory="E:\\IISLogs\\FailedReqLogFiles" />', '      </siteDefaults>');
  out.push('      <applicationDefaults applicationPool="DefaultAppPool" />', '      <virtualDirectoryDefaults allowSubDirConfig="true" />', '    </sites>');
  out.push('    <webLimits />', '  </system.applicationHost>');
  out.push('  <system.webServer>', '    <globalModules>');
  for (const m of mods) out.push(`      <add name="${m}" image="%windir%\\System32\\inetsrv\\${m.toLowerCase()}.dll" />`);
  out.push('    </globalModules>', '    <handlers accessPolicy="Read, Script">');
  for (const e of EXTENSIONS.slice(0, 40)) out.push(`      <add name="Handler-${e}" path="*.${e}" verb="GET,HEAD,POST" modules="IsapiModule" scriptProcessor="%windir%\\Microsoft.NET\\Framework64\\v4.0.30319\\aspnet_isapi.dll" resourceType="File" preCondition="classicMode,runtimeVersionv4.0,bitness64" />`);
  out.push('      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule,DefaultDocumentModule,DirectoryListingModule" resourceType="Either" requireAccess="Read" />', '    </handlers>');
  out.push('    <staticContent lockAttributes="isDocFooterFileName">');
  // The real file carries several hundred MIME maps; they are most of its size.
  for (let r = 0; r < 12; r++) for (const e of EXTENSIONS) out.push(`      <mimeMap fileExtension=".${e}${r ? r : ''}" mimeType="application/x-sample-${e}-${r}" />`);
  out.push('    </staticContent>');
  out.push('    <httpProtocol>', '      <customHeaders>', '        <clear />', v % 2 ? '        <add name="X-Powered-By" value="ASP.NET" />' : '        <add name="X-Content-Type-Options" value="nosniff" />', '      </customHeaders>', '    </httpProtocol>');
  out.push('    <security>', '      <access sslFlags="Ssl" />', '      <authentication>', '        <anonymousAuthentication enabled="true" userName="" />', '        <windowsAuthentication enabled="false" />', '      </authentication>');
  out.push('      <isapiCgiRestriction notListedIsapisAllowed="false" notListedCgisAllowed="false">', '        <add path="%windir%\\Microsoft.NET\\Framework64\\v4.0.30319\\aspnet_isapi.dll" allowed="true" groupId="ASP.NET v4.0.30319" description="ASP.NET v4.0.30319" />', '      </isapiCgiRestriction>');
  out.push(`      <requestFiltering allowDoubleEscaping="false" allowHighBitCharacters="false" removeServerHeader="${v % 3 ? 'true' : 'false'}">`);
  out.push('        <verbs allowUnlisted="true">', '          <add verb="TRACE" allowed="false" />', '          <add verb="OPTIONS" allowed="false" />', '        </verbs>');
  out.push('        <denyUrlSequences>', '          <add sequence=".." />', '          <add sequence="./" />', '          <add sequence="\\" />', '          <add sequence=":" />', '          <add sequence="%" />', '          <add sequence="&amp;" />', '        </denyUrlSequences>');
  out.push('        <requestLimits maxAllowedContentLength="30000000" maxUrl="4096" maxQueryString="2048" />', '      </requestFiltering>');
  out.push('      <dynamicIpSecurity>', '        <denyByRequestRate enabled="true" maxRequests="40" requestIntervalInMilliseconds="2000" />', '      </dynamicIpSecurity>', '    </security>');
  out.push(`    <directoryBrowse enabled="false" />`, '    <httpErrors errorMode="Custom" />', '  </system.webServer>');
  for (let s = 0; s < o.sites; s++) {
    out.push(`  <location path="site${s}.example.org">`, '    <system.webServer>');
    out.push(`      <directoryBrowse enabled="${s === 1 && v % 2 ? 'true' : 'false'}" />`);
    out.push('    </system.webServer>', '  </location>');
  }
  out.push('  <location path="" overrideMode="Allow">', '    <system.web>', '      <httpRuntime enableVersionHeader="false" />', '    </system.web>', '  </location>');
  out.push('</configuration>', '');
  return out.join('\r\n');
}

function secedit(v: number): string {
  return `[Unicode]
Unicode=yes
[System Access]
MinimumPasswordAge = 1
MaximumPasswordAge = 60
MinimumPasswordLength = ${v % 3 === 0 ? 8 : 14}
PasswordComplexity = 1
PasswordHistorySize = 24
LockoutBadCount = 5
ResetLockoutCount = 15
LockoutDuration = 15
RequireLogonToChangePassword = 0
ForceLogoffWhenHourExpire = 0
NewAdministratorName = "opsroot"
NewGuestName = "Guest"
ClearTextPassword = 0
LSAAnonymousNameLookup = 0
EnableAdminAccount = 1
EnableGuestAccount = ${v % 4 === 3 ? 1 : 0}
[Event Audit]
AuditSystemEvents = 3
AuditLogonEvents = 3
AuditObjectAccess = 0
AuditPrivilegeUse = 2
AuditPolicyChange = 1
AuditAccountManage = 3
AuditProcessTracking = 0
AuditDSAccess = 0
AuditAccountLogon = 3
[Registry Values]
MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\RestrictAnonymous=4,1
MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\RestrictAnonymousSAM=4,1
MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\LimitBlankPasswordUse=4,1
MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\NoLMHash=4,1
MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\RequireSecuritySignature=4,1
MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\EnableSecuritySignature=4,1
MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\RestrictNullSessAccess=4,1
MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\NullSessionPipes=7,
MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\NullSessionShares=7,
MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\EnableLUA=4,1
MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\CachedLogonsCount=1,"4"
[Privilege Rights]
SeNetworkLogonRight = *S-1-5-32-544,*S-1-5-11
SeBackupPrivilege = *S-1-5-32-544
SeChangeNotifyPrivilege = *S-1-1-0,*S-1-5-19,*S-1-5-20,*S-1-5-32-544,*S-1-5-32-545
SeSystemtimePrivilege = *S-1-5-19,*S-1-5-32-544
SeCreatePagefilePrivilege = *S-1-5-32-544
SeDebugPrivilege = *S-1-5-32-544
SeRemoteShutdownPrivilege = *S-1-5-32-544
SeAuditPrivilege = *S-1-5-19,*S-1-5-20
SeIncreaseQuotaPrivilege = *S-1-5-19,*S-1-5-20,*S-1-5-32-544
SeLoadDriverPrivilege = *S-1-5-32-544
SeBatchLogonRight = *S-1-5-32-544,*S-1-5-32-551,*S-1-5-32-559
SeServiceLogonRight = *S-1-5-80-0
SeInteractiveLogonRight = *S-1-5-32-544
SeSecurityPrivilege = *S-1-5-32-544
SeShutdownPrivilege = *S-1-5-32-544
SeTakeOwnershipPrivilege = *S-1-5-32-544
SeRemoteInteractiveLogonRight = *S-1-5-32-544${v % 5 === 2 ? ',*S-1-5-32-545' : ',*S-1-5-32-555'}
SeDenyRemoteInteractiveLogonRight = *S-1-5-32-546,*S-1-5-113
SeImpersonatePrivilege = *S-1-5-19,*S-1-5-20,*S-1-5-32-544,*S-1-5-6
[Version]
signature="$CHICAGO$"
Revision=1
`;
}

interface RegKey {
  path: string;
  values: Array<[string, number | string]>;
}
function regFile(keys: RegKey[]): string {
  const lines = ['Windows Registry Editor Version 5.00', ''];
  for (const k of keys) {
    lines.push(`[${k.path}]`);
    for (const [n, v] of k.values) lines.push(typeof v === 'number' ? `"${n}"=dword:${(v >>> 0).toString(16).padStart(8, '0')}` : `"${n}"="${v.replace(/\\/g, '\\\\')}"`);
    lines.push('');
  }
  return lines.join('\n');
}

const HKLM = 'HKEY_LOCAL_MACHINE';

function registryFiles(v: number): Array<{ name: string; key: string; text: string }> {
  const ts = `${HKLM}\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server`;
  const sch = `${HKLM}\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL`;
  const lan = `${HKLM}\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters`;
  const tsPol = `${HKLM}\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services`;
  const net = `${HKLM}\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319`;
  const wow = `${HKLM}\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319`;
  const credssp = `${HKLM}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System`;
  const proto = (p: string, on: boolean): RegKey[] => [
    { path: `${sch}\\Protocols\\${p}`, values: [] },
    { path: `${sch}\\Protocols\\${p}\\Client`, values: [['Enabled', on ? 1 : 0], ['DisabledByDefault', on ? 0 : 1]] },
    { path: `${sch}\\Protocols\\${p}\\Server`, values: [['Enabled', on ? 1 : 0], ['DisabledByDefault', on ? 0 : 1]] },
  ];
  return [
    {
      name: 'registry/terminal_server.reg',
      key: ts,
      text: regFile([
        { path: ts, values: [['fDenyTSConnections', 0], ['fSingleSessionPerUser', 1], ['TSUserEnabled', 0]] },
        { path: `${ts}\\WinStations`, values: [] },
        { path: `${ts}\\WinStations\\RDP-Tcp`, values: [['PortNumber', v % 2 ? 3389 : 43389], ['SecurityLayer', 2], ['UserAuthentication', v % 6 === 5 ? 0 : 1], ['MinEncryptionLevel', 3], ['fPromptForPassword', 1], ['MaxIdleTime', 0]] },
      ]),
    },
    { name: 'registry/ts_policy.reg', key: tsPol, text: regFile([{ path: tsPol, values: [['fEncryptRPCTraffic', 1], ['DisablePasswordSaving', 1], ['fDisableCdm', 1]] }]) },
    { name: 'registry/lanmanserver.reg', key: lan, text: regFile([{ path: lan, values: [['SMB1', v % 3 === 1 ? 1 : 0], ['RequireSecuritySignature', 1], ['EnableSecuritySignature', 1], ['RestrictNullSessAccess', 1], ['ServiceDll', '%SystemRoot%\\system32\\srvsvc.dll']] }]) },
    {
      name: 'registry/schannel.reg',
      key: sch,
      text: regFile([
        { path: sch, values: [['EventLogging', 1]] },
        { path: `${sch}\\Ciphers`, values: [] },
        ...['NULL', 'DES 56/56', 'RC4 40/128', 'RC4 56/128', 'RC4 64/128', 'RC4 128/128', 'Triple DES 168'].map((c) => ({ path: `${sch}\\Ciphers\\${c}`, values: [['Enabled', 0]] as Array<[string, number]> })),
        { path: `${sch}\\Protocols`, values: [] },
        ...proto('SSL 2.0', false),
        ...proto('SSL 3.0', false),
        ...proto('TLS 1.0', v % 8 === 3),
        ...proto('TLS 1.1', false),
        ...proto('TLS 1.2', true),
      ]),
    },
    { name: 'registry/dotnet64.reg', key: net, text: regFile([{ path: net, values: [['SchUseStrongCrypto', 1], ['SystemDefaultTlsVersions', 1]] }]) },
    { name: 'registry/dotnet32.reg', key: wow, text: regFile([{ path: wow, values: [['SchUseStrongCrypto', 1], ['SystemDefaultTlsVersions', 1]] }]) },
    { name: 'registry/policies_system.reg', key: credssp, text: regFile([{ path: credssp, values: [['EnableLUA', 1]] }, { path: `${credssp}\\CredSSP`, values: [] }, { path: `${credssp}\\CredSSP\\Parameters`, values: [['AllowEncryptionOracle', 0]] }]) },
  ];
}

function day(base: Date, minus: number): Date {
  return new Date(base.getTime() - minus * 86_400_000);
}
function mdY(d: Date): string {
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

function systeminfo(host: string, kbs: string[]): string {
  const lines = [
    '',
    `Host Name:                 ${host}`,
    'OS Name:                   Microsoft Windows Server 2019 Datacenter',
    'OS Version:                10.0.17763 N/A Build 17763',
    'OS Manufacturer:           Microsoft Corporation',
    'OS Configuration:          Member Server',
    'OS Build Type:             Multiprocessor Free',
    'Registered Owner:          Windows User',
    'Original Install Date:     3/4/2024, 10:12:45 AM',
    'System Boot Time:          11/2/2026, 4:01:10 AM',
    'System Type:               x64-based PC',
    'Windows Directory:         C:\\Windows',
    'System Locale:             en-us;English (United States)',
    'Domain:                    corp.example',
    'Logon Server:              \\\\DC01',
    `Hotfix(s):                 ${kbs.length} Hotfix(s) Installed.`,
    ...kbs.map((kb, i) => `                           [${String(i + 1).padStart(2, '0')}]: ${kb}`),
    'Network Card(s):           1 NIC(s) Installed.',
    '                           [01]: Intel(R) 82574L Gigabit Network Connection',
    '                                 Connection Name: Ethernet0',
    '                                 DHCP Enabled:    No',
    '                                 IP address(es)',
    '                                 [01]: 10.20.0.15',
    'Hyper-V Requirements:      A hypervisor has been detected. Features required for Hyper-V will not be displayed.',
    '',
  ];
  return lines.join('\n');
}

function qfe(host: string, kbs: string[], newest: Date): string {
  const lines = ['', 'Node,Caption,CSName,Description,FixComments,HotFixID,InstallDate,InstalledBy,InstalledOn,Name,ServicePackInEffect,Status'];
  kbs.forEach((kb, i) => {
    const when = day(newest, (kbs.length - 1 - i) * 5);
    lines.push(`${host},http://support.microsoft.com/?kbid=${kb.slice(2)},${host},${i % 4 === 0 ? 'Security Update' : 'Update'},,${kb},,NT AUTHORITY\\SYSTEM,${mdY(when)},,,`);
  });
  return lines.join('\n') + '\n';
}

function netstat(listeners: number, v: number): string {
  const lines = ['', 'Active Connections', '', '  Proto  Local Address          Foreign Address        State           PID'];
  const fixed = [80, 443, 135, 445, 3389, 5985, 47001];
  const ports = [...fixed, ...(v % 9 === 4 ? [23] : []), ...Array.from({ length: Math.max(0, listeners - fixed.length) }, (_, i) => 49664 + i)].slice(0, listeners);
  ports.forEach((p, i) => lines.push(`  TCP    ${i % 5 === 4 ? '127.0.0.1' : '0.0.0.0'}:${p}`.padEnd(31) + '0.0.0.0:0'.padEnd(23) + 'LISTENING'.padEnd(16) + String(900 + i)));
  for (let i = 0; i < 50; i++) lines.push(`  TCP    10.20.0.15:${50000 + i}`.padEnd(31) + `10.20.0.${(i % 200) + 1}:443`.padEnd(23) + 'ESTABLISHED'.padEnd(16) + String(4000 + i));
  lines.push('  UDP    0.0.0.0:123            *:*                                    1200', '  UDP    0.0.0.0:500            *:*                                    3100');
  return lines.join('\n') + '\n';
}

const AUDIT: Array<[string, string, string]> = [
  ['Security State Change', '0CCE9210', 'Success'],
  ['Security System Extension', '0CCE9211', 'Success'],
  ['System Integrity', '0CCE9212', 'Success and Failure'],
  ['Logon', '0CCE9215', 'Success and Failure'],
  ['Logoff', '0CCE9216', 'Success'],
  ['Account Lockout', '0CCE9217', 'Failure'],
  ['Special Logon', '0CCE921B', 'Success'],
  ['Other Logon/Logoff Events', '0CCE921C', 'Success and Failure'],
  ['Sensitive Privilege Use', '0CCE9228', 'Success and Failure'],
  ['Audit Policy Change', '0CCE922F', 'Success and Failure'],
  ['Authentication Policy Change', '0CCE9230', 'Success'],
  ['Authorization Policy Change', '0CCE9231', 'Success'],
  ['User Account Management', '0CCE9235', 'Success and Failure'],
  ['Computer Account Management', '0CCE9236', 'Success'],
  ['Security Group Management', '0CCE9237', 'Success'],
  ['Other Account Management Events', '0CCE923A', 'Success'],
  ['Credential Validation', '0CCE923F', 'Success and Failure'],
  ['Kerberos Service Ticket Operations', '0CCE9240', 'No Auditing'],
  ['Kerberos Authentication Service', '0CCE9242', 'No Auditing'],
];

function auditpol(host: string, v: number): string {
  const lines = ['Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting'];
  for (const [name, g, setting] of AUDIT) lines.push(`${host},System,${name},{${g}-69AE-11D9-BED3-505054503030},${name === 'Logon' && v % 7 === 6 ? 'Success' : setting},`);
  return lines.join('\n') + '\n';
}

function servicesJson(v: number): string {
  const list: Array<{ Name: string; DisplayName: string; Status: number; StartType: number; DependentServices: Array<{ Name: string }> }> = [];
  const add = (Name: string, Status: number, StartType: number, deps: string[] = []) => list.push({ Name, DisplayName: Name, Status, StartType, DependentServices: deps.map((d) => ({ Name: d })) });
  add('W3SVC', 4, 2);
  add('WAS', 4, 3, ['W3SVC']);
  add('TermService', 4, 3, ['UmRdpService']);
  add('LanmanServer', 4, 2);
  add('Spooler', v % 2 ? 4 : 1, v % 2 ? 2 : 4);
  add('RemoteRegistry', 1, 4);
  add('SMTPSVC', v % 10 === 7 ? 4 : 1, v % 10 === 7 ? 2 : 4);
  for (let i = 0; i < 140; i++) add(`SampleSvc${i}`, i % 3 ? 4 : 1, i % 4 === 0 ? 3 : 2);
  return JSON.stringify(list, null, 2) + '\n';
}

function firewallText(): string {
  const block = (name: string) => `
${name} Profile Settings: 
----------------------------------------------------------------------
State                                 ON
Firewall Policy                       BlockInbound,AllowOutbound
LocalFirewallRules                    N/A (GPO-store only)
LocalConSecRules                      N/A (GPO-store only)
InboundUserNotification               Disable
RemoteManagement                      Disable
UnicastResponseToMulticast            Enable

Logging:
LogAllowedConnections                 Disable
LogDroppedConnections                 Enable
FileName                              %systemroot%\\system32\\LogFiles\\Firewall\\pfirewall.log
MaxFileSize                           4096
`;
  return `${block('Domain')}${block('Private')}${block('Public')}Ok.\n\n`;
}

export function sampleBundle(o: SampleOptions): SampleFile[] {
  const sites = o.sites ?? 8;
  const hot = o.hotfixes ?? 200;
  const collectedAt = o.collectedAt ?? '2026-11-20T08:00:00Z';
  const newest = day(new Date(collectedAt), o.variant % 11 === 10 ? 120 : 9);
  const kbs = Array.from({ length: hot }, (_, i) => `KB${5000000 + i * 37}`);
  const files: Array<{ name: string; bytes: Uint8Array; kind?: string; command: string; key?: string }> = [
    { name: 'iis/applicationHost.config', bytes: utf8bom(applicationHost({ variant: o.variant, sites })), kind: 'iis-applicationhost', command: 'copy %windir%\\System32\\inetsrv\\config\\applicationHost.config' },
    { name: 'secpol.inf', bytes: utf16(secedit(o.variant)), kind: 'secedit-inf', command: 'secedit /export /cfg secpol.inf' },
    ...registryFiles(o.variant).map((r) => ({ name: r.name, bytes: utf16(r.text), kind: 'reg-export', command: `reg export "${r.key}" ${r.name.split('/').pop()} /y`, key: r.key.replace(/^HKEY_LOCAL_MACHINE/, 'HKLM') })),
    { name: 'systeminfo.txt', bytes: ascii(systeminfo(o.host, kbs)), kind: 'systeminfo', command: 'systeminfo' },
    { name: 'qfe.csv', bytes: utf16(qfe(o.host, kbs, newest)), kind: 'hotfix-wmic', command: 'wmic qfe list full /format:csv' },
    { name: 'netstat.txt', bytes: ascii(netstat(o.listeners ?? 100, o.variant)), kind: 'netstat', command: 'netstat -ano' },
    { name: 'auditpol.csv', bytes: ascii(auditpol(o.host, o.variant)), kind: 'auditpol-csv', command: 'auditpol /get /category:* /r' },
    { name: 'services.json', bytes: utf8bom(servicesJson(o.variant)), kind: 'services-json', command: 'Get-Service | Select-Object Name,DisplayName,Status,StartType,DependentServices | ConvertTo-Json' },
    { name: 'firewall.txt', bytes: ascii(firewallText()), kind: 'firewall-netsh', command: 'netsh advfirewall show allprofiles' },
  ];
  const manifest = {
    schema: 'portcullis-bundle/1',
    host: o.host,
    collectedAt,
    files: files.map((f) => ({ file: f.name, ...(f.kind ? { kind: f.kind } : {}), command: f.command, exitCode: 0, error: null, ...(f.key ? { key: f.key } : {}) })),
  };
  return [{ name: 'manifest.json', bytes: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8') }, ...files.map((f) => ({ name: f.name, bytes: f.bytes }))];
}

export function writeSampleBundle(dir: string, o: SampleOptions): void {
  for (const f of sampleBundle(o)) {
    const p = join(dir, ...f.name.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.bytes);
  }
}
