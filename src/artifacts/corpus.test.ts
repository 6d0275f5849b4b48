// The corpus test: real public Windows artifacts from ../shared/corpus/ (see its MANIFEST.md).
// Every file must parse without an error-severity problem, and the facts MANIFEST.md says a
// reader can see in each file must come out of HostState. Skipped when the folder is absent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHostState } from './bundle.js';
import type { HostState } from '../host/state.js';
import {
  configAttr,
  detectRoles,
  effectiveDenyTsConnections,
  effectiveRdpSetting,
  iisEffectiveConfig,
  iisElement,
  iisScopes,
  iisSetting,
  iisSiteSetting,
  osRelease,
  registryLookup,
  registryNumber,
  schannelProtocol,
} from '../host/effective.js';

// ../shared/corpus/ next to the project: found from the working directory (npm test runs in the
// project root) or from this file's place in dist/; PORTCULLIS_CORPUS overrides both.
const candidates = [process.env['PORTCULLIS_CORPUS'], resolve(process.cwd(), '../shared/corpus'), fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url))].filter((x): x is string => !!x);
const CORPUS = candidates.find((c) => existsSync(join(c, 'MANIFEST.md'))) ?? candidates[0]!;
const present = existsSync(join(CORPUS, 'MANIFEST.md'));
const skip = present ? false : `corpus not found at ${CORPUS} (set PORTCULLIS_CORPUS to run it)`;

function load(...files: string[]): HostState {
  return buildHostState({ files: files.map((f) => ({ name: f, bytes: readFileSync(join(CORPUS, f)) })), problems: [] });
}

function corpusFiles(): string[] {
  const out: string[] = [];
  for (const d of readdirSync(CORPUS)) {
    const p = join(CORPUS, d);
    if (!statSync(p).isDirectory()) continue;
    for (const f of readdirSync(p)) out.push(`${d}/${f}`);
  }
  return out.sort();
}

function num(st: HostState, key: string, name: string): number | undefined {
  return registryNumber(registryLookup(st, key, name));
}

describe('corpus', { skip }, () => {
  test('every file is recognised and parses without an error', () => {
    const files = corpusFiles();
    assert.ok(files.length >= 38, `found ${files.length} files`);
    for (const f of files) {
      const st = load(f);
      assert.notEqual(st.artifacts[0]!.kind, 'unknown', `${f} recognised`);
      const errors = st.problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors, [], `${f} parses without error`);
    }
  });

  describe('iis/', () => {
    test('hwc Go template: http only, anonymous and Windows auth on, verbs unlisted allowed, TRACE/OPTIONS handlers', () => {
      const st = load('iis/hwc_application_host_config.go');
      assert.equal(st.artifacts[0]!.kind, 'iis-applicationhost');
      assert.ok(st.problems.some((p) => p.severity === 'warning' && /Go text\/template/.test(p.reason) && p.line === 136));
      const site = st.iis!.sites[0]!;
      assert.deepEqual(site.bindings.map((b) => b.protocol), ['http']);
      const cfg = iisEffectiveConfig(st, { site: site.name });
      assert.equal(iisSetting(cfg, 'system.webServer/security/authentication/anonymousAuthentication', 'enabled')!.value, 'true');
      assert.equal(iisSetting(cfg, 'system.webServer/security/authentication/anonymousAuthentication', 'userName')!.value, 'IUSR');
      assert.equal(iisSetting(cfg, 'system.webServer/security/authentication/windowsAuthentication', 'enabled')!.value, 'true');
      assert.equal(iisSetting(cfg, 'system.webServer/security/requestFiltering/verbs', 'allowUnlisted')!.value, 'true');
      assert.equal(iisSetting(cfg, 'system.webServer/security/requestFiltering/fileExtensions', 'allowUnlisted')!.value, 'true');
      const handlers = iisElement(cfg, 'system.webServer/handlers')!.items.map((i) => configAttr(i, 'name')!.value);
      assert.ok(handlers.includes('TRACEVerbHandler') && handlers.includes('OPTIONSVerbHandler'));
      const browse = iisSetting(cfg, 'system.webServer/directoryBrowse', 'enabled')!;
      assert.deepEqual([browse.value, browse.isDefault], ['false', false]);
      const limit = iisSetting(cfg, 'system.webServer/security/requestFiltering/requestLimits', 'maxAllowedContentLength')!;
      assert.equal(limit.value, '2097152', 'single-quoted attribute read');
      assert.ok(limit.source.line! > 136 && limit.source.line! < 1019, 'line inside the Go file');
      assert.equal(iisSiteSetting(st, site.name, 'traceFailedRequestsLogging')['enabled']!.value, 'false');
    });

    test('IIS.Administration: https only on 55539, GET/HEAD static files, auth off, X-Frame-Options removed under IISAdmin/api', () => {
      const st = load('iis/iis-administration_applicationHost.config');
      const site = st.iis!.sites[0]!;
      assert.deepEqual(st.iis!.sites.length, 1);
      assert.deepEqual(site.bindings.map((b) => [b.protocol, b.bindingInformation, b.port]), [['https', '*:55539:', 55539]]);
      assert.match(site.applications[0]!.virtualDirectories[0]!.physicalPath, /\{Microsoft\.IIS\.Administration PHYSICAL_PATH\}/);
      const root = iisEffectiveConfig(st, { site: 'IISAdmin' });
      const staticFile = iisElement(root, 'system.webServer/handlers')!.items.find((i) => configAttr(i, 'name')!.value === 'StaticFile')!;
      assert.equal(configAttr(staticFile, 'verb')!.value, 'GET,HEAD');
      assert.equal(iisSetting(root, 'system.webServer/security/authentication/anonymousAuthentication', 'enabled')!.value, 'false');
      assert.equal(iisSetting(root, 'system.webServer/security/authentication/windowsAuthentication', 'enabled')!.value, 'false');
      const headers = (cfg: ReturnType<typeof iisEffectiveConfig>) => iisElement(cfg, 'system.webServer/httpProtocol/customHeaders')?.items.map((i) => `${configAttr(i, 'name')!.value}=${configAttr(i, 'value')?.value}`) ?? [];
      assert.deepEqual(headers(root), ['X-Frame-Options=SAMEORIGIN']);
      assert.deepEqual(headers(iisEffectiveConfig(st, { site: 'IISAdmin', path: '/api' })), []);
      assert.equal(iisElement(root, 'system.webServer/security/requestFiltering'), undefined);
      assert.equal(iisElement(root, 'system.webServer/httpErrors'), undefined);
      assert.equal(iisSetting(root, 'system.webServer/httpErrors', 'errorMode')!.isDefault, true);
      assert.deepEqual(iisSiteSetting(st, 'IISAdmin', 'logFile'), {});
    });

    test('reverse proxy appHost: ARR proxy on, http+https bindings, no security headers, session keys not kept', () => {
      const st = load('iis/reverse-proxy_applicationHost.config');
      const site = st.iis!.sites[0]!;
      assert.equal(site.name, 'Default Web Site');
      assert.deepEqual(site.bindings.map((b) => [b.protocol, b.bindingInformation, b.sslFlags]), [['http', '*:80:', undefined], ['https', '*:443:', 0]]);
      const cfg = iisEffectiveConfig(st, { site: 'Default Web Site' });
      assert.equal(iisSetting(cfg, 'system.webServer/proxy', 'enabled')!.value, 'true');
      const handlers = iisElement(cfg, 'system.webServer/handlers')!.items.map((i) => configAttr(i, 'name')!.value);
      assert.ok(handlers.includes('TRACEVerbHandler') && handlers.includes('OPTIONSVerbHandler'));
      assert.equal(iisSetting(cfg, 'system.webServer/security/requestFiltering/verbs', 'allowUnlisted')!.value, 'true');
      assert.equal(iisSetting(cfg, 'system.webServer/security/requestFiltering/fileExtensions', 'allowUnlisted')!.value, 'true');
      assert.equal(iisSetting(cfg, 'system.webServer/security/authentication/anonymousAuthentication', 'enabled')!.value, 'true');
      assert.equal(iisSetting(cfg, 'system.webServer/directoryBrowse', 'enabled')!.value, 'false');
      const headers = iisElement(cfg, 'system.webServer/httpProtocol/customHeaders')!;
      assert.ok(headers.cleared);
      assert.deepEqual(headers.items, []);
      assert.ok(!JSON.stringify(st).includes('sessionKey'), 'configProtectedData is not copied into the model');
    });

    test('reverse proxy web.config: every path proxied to an internal RDS host; outbound rewrite to an internal AD host over http', () => {
      const st = load('iis/reverse-proxy_web.config');
      const [scope] = iisScopes(st);
      const cfg = iisEffectiveConfig(st, scope!);
      const inbound = iisElement(cfg, 'system.webServer/rewrite/rules')!.items[0]!;
      const match = inbound.children.find((c) => c.name === 'match')!;
      const action = inbound.children.find((c) => c.name === 'action')!;
      assert.equal(configAttr(match, 'url')!.value, '(.*)');
      assert.match(configAttr(action, 'url')!.value, /^https:\/\/database-1\.cffntbampvu0\.ap-southeast-2\.rds\.amazonaws\.com:8085\//);
      const outbound = iisElement(cfg, 'system.webServer/rewrite/outboundRules')!.items;
      const rewrite = outbound[0]!.children.find((c) => c.name === 'action')!;
      assert.equal(configAttr(rewrite, 'value')!.value, 'http{R:1}://EC2AMAZ-0OOT8TT.gillard.local/{R:2}');
      assert.deepEqual(outbound.map((r) => configAttr(r, 'name')!.value), ['ReverseProxyOutboundRule1', 'RestoreAcceptEncoding']);
    });

    const headerNames = (st: HostState) =>
      iisElement(iisEffectiveConfig(st, iisScopes(st)[0]!), 'system.webServer/httpProtocol/customHeaders')!.items.map((i) => configAttr(i, 'name')!.value);

    test('h5bp server config: browsing off, custom errors, TRACE denied, nosniff; HSTS/XFO/CSP only in comments', () => {
      const st = load('iis/h5bp_server-config_Web.config');
      const cfg = iisEffectiveConfig(st, iisScopes(st)[0]!);
      assert.equal(iisSetting(cfg, 'system.webServer/directoryBrowse', 'enabled')!.value, 'false');
      assert.equal(iisSetting(cfg, 'system.webServer/httpErrors', 'errorMode')!.value, 'Custom');
      const verbs = iisElement(cfg, 'system.webServer/security/requestFiltering/verbs')!.items;
      assert.deepEqual(verbs.map((v) => [configAttr(v, 'verb')!.value, configAttr(v, 'allowed')!.value]), [['TRACE', 'false']]);
      const names = headerNames(st);
      assert.ok(names.includes('X-Content-Type-Options'));
      assert.ok(names.includes('X-Powered-By'), 'removed and re-added with a fake value: still sent');
      for (const commented of ['Strict-Transport-Security', 'X-Frame-Options', 'X-XSS-Protection', 'Content-Security-Policy', 'Access-Control-Allow-Origin', 'P3P']) {
        assert.ok(!names.includes(commented), `${commented} is only in a comment`);
      }
    });

    test('h5bp MVC5 web.config: debug="true", weakened URL filtering, no customErrors, TRACE denied', () => {
      const st = load('iis/h5bp_dotnet45-mvc5_Web.config');
      const cfg = iisEffectiveConfig(st, iisScopes(st)[0]!);
      const debug = iisSetting(cfg, 'system.web/compilation', 'debug')!;
      assert.deepEqual([debug.value, debug.isDefault], ['true', false]);
      assert.ok(debug.source.line! > 0 && debug.source.xpath!.endsWith('/compilation/@debug'));
      assert.equal(iisSetting(cfg, 'system.web/httpCookies', 'httpOnlyCookies')!.value, 'true');
      assert.equal(iisSetting(cfg, 'system.web/httpCookies', 'requireSSL')!.value, 'false');
      assert.equal(iisSetting(cfg, 'system.web/httpRuntime', 'enableVersionHeader')!.value, 'false');
      assert.equal(iisSetting(cfg, 'system.web/httpRuntime', 'requestPathInvalidCharacters')!.value, '');
      assert.equal(iisSetting(cfg, 'system.web/httpRuntime', 'relaxedUrlToFileSystemMapping')!.value, 'true');
      assert.equal(iisSetting(cfg, 'system.web/trace', 'enabled')!.value, 'false');
      assert.equal(iisElement(cfg, 'system.web/customErrors'), undefined);
      assert.equal(iisSetting(cfg, 'system.web/customErrors', 'mode')!.isDefault, true);
      const verbs = iisElement(cfg, 'system.webServer/security/requestFiltering/verbs')!.items;
      assert.ok(verbs.some((v) => configAttr(v, 'verb')!.value === 'TRACE' && configAttr(v, 'allowed')!.value === 'false'));
      const names = headerNames(st);
      assert.ok(names.includes('X-Content-Type-Options') && names.includes('X-Powered-By') && !names.includes('Strict-Transport-Security'));
    });
  });

  describe('secpol/', () => {
    const sa = (st: HostState, k: string) => st.securityPolicy!.systemAccess[k.toLowerCase()]?.value;
    const rv = (st: HostState, suffix: string) => Object.values(st.securityPolicy!.registryValues).find((e) => e.name.toLowerCase().endsWith(suffix.toLowerCase()))?.value.value;

    test('DISA WS2019 member server', () => {
      const st = load('secpol/disa_ws2019_ms_GptTmpl.inf');
      assert.deepEqual(
        ['MinimumPasswordLength', 'MaximumPasswordAge', 'LockoutBadCount', 'LockoutDuration', 'NewAdministratorName', 'NewGuestName', 'LSAAnonymousNameLookup', 'EnableGuestAccount'].map((k) => sa(st, k)),
        [14, 60, 3, 15, 'X_Admin', 'Visitor', 0, 0],
      );
      assert.equal(Object.keys(st.securityPolicy!.registryValues).length, 41);
      assert.equal(Object.keys(st.securityPolicy!.privilegeRights).length, 29);
      assert.equal(rv(st, '\\Lsa\\LmCompatibilityLevel'), 5);
      assert.equal(rv(st, 'LanManServer\\Parameters\\RequireSecuritySignature'), 1);
      assert.equal(rv(st, '\\Lsa\\RestrictAnonymous'), 1);
      assert.equal(rv(st, '\\Lsa\\RestrictAnonymousSAM'), 1);
      assert.equal(rv(st, 'ConsentPromptBehaviorAdmin'), 2);
      assert.deepEqual(st.securityPolicy!.privilegeRights['sedenynetworklogonright']!.value, ['*S-1-5-32-546', '*S-1-5-113']);
      // the template's registry values are readable through the registry model as policy
      assert.equal(num(st, 'HKLM\\System\\CurrentControlSet\\Control\\Lsa', 'LmCompatibilityLevel'), 5);
    });

    test('DISA WS2012 R2 member server', () => {
      const st = load('secpol/disa_ws2012r2_ms_GptTmpl.inf');
      assert.equal(Object.keys(st.securityPolicy!.registryValues).length, 62);
      assert.equal(Object.keys(st.securityPolicy!.privilegeRights).length, 30);
      assert.equal(sa(st, 'ForceLogoffWhenHourExpire'), 1);
      assert.equal(rv(st, 'ConsentPromptBehaviorAdmin'), 4);
      assert.deepEqual(st.securityPolicy!.services['scpolicysvc']!.value, { startMode: 2, sddl: '' });
      assert.ok(Object.values(st.securityPolicy!.registryValues).some((e) => e.value.raw.length > 1300), 'the 1,428-character line is read whole');
    });

    test('DISA WS2019 domain controller', () => {
      const st = load('secpol/disa_ws2019_dc_GptTmpl.inf');
      assert.equal(rv(st, 'NTDS\\Parameters\\LDAPServerIntegrity'), 2);
      assert.equal(Object.keys(st.securityPolicy!.privilegeRights).length, 31);
      assert.deepEqual(st.securityPolicy!.privilegeRights['seremoteinteractivelogonright']!.value, ['*S-1-5-32-544']);
      assert.deepEqual(st.securityPolicy!.privilegeRights['sedenynetworklogonright']!.value, ['*S-1-5-32-546']);
    });

    test('NSA SHB (Windows 10 workstation baseline)', () => {
      const st = load('secpol/nsa_shb_computer_GptTmpl.inf');
      assert.equal(sa(st, 'LockoutDuration'), -1);
      assert.equal(sa(st, 'NewAdministratorName'), undefined);
      assert.equal(Object.keys(st.securityPolicy!.registryValues).length, 41);
      assert.equal(Object.keys(st.securityPolicy!.privilegeRights).length, 27);
    });
  });

  describe('gpo/', () => {
    const count = (st: HostState) => Object.values(st.registry!.keys).reduce((n, k) => n + Object.values(k.values).flat().length, 0);
    const deletions = (st: HostState) => Object.values(st.registry!.keys).flatMap((k) => Object.values(k.values).flat().filter((v) => v.data.type === 'deleted').map((v) => v.name));

    test('DISA WS2019 Registry.pol: 58 entries, one **del., the hardening values', () => {
      const st = load('gpo/disa_ws2019_ms_registry.pol');
      assert.equal(count(st), 58);
      assert.deepEqual(deletions(st), ['EnableScriptBlockInvocationLogging']);
      assert.equal(num(st, 'HKLM\\System\\CurrentControlSet\\Services\\LanmanServer\\Parameters', 'SMB1'), 0);
      assert.equal(num(st, 'HKLM\\System\\CurrentControlSet\\Services\\MrxSmb10', 'Start'), 4);
      assert.equal(num(st, 'HKLM\\System\\CurrentControlSet\\Control\\SecurityProviders\\WDigest', 'UseLogonCredential'), 0);
      for (const side of ['Client', 'Service']) {
        assert.equal(num(st, `HKLM\\Software\\Policies\\Microsoft\\Windows\\WinRM\\${side}`, 'AllowBasic'), 0);
        assert.equal(num(st, `HKLM\\Software\\Policies\\Microsoft\\Windows\\WinRM\\${side}`, 'AllowUnencryptedTraffic'), 0);
      }
      const mel = effectiveRdpSetting(st, 'MinEncryptionLevel');
      assert.deepEqual([mel.value, mel.decidedBy], [3, 'policy']);
      assert.equal(effectiveRdpSetting(st, 'fPromptForPassword').value, 1);
      assert.equal(effectiveRdpSetting(st, 'DisablePasswordSaving').value, 1);
      assert.equal(num(st, 'HKLM\\Software\\Policies\\Microsoft\\Windows\\DeviceGuard', 'LsaCfgFlags'), 1);
      assert.equal(num(st, 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer', 'NoDriveTypeAutoRun'), 255);
    });

    test('NSA SHB Registry.pol: 87 entries, five **del., Remote Assistance off', () => {
      const st = load('gpo/nsa_shb_computer_registry.pol');
      assert.equal(count(st), 87);
      const del = deletions(st);
      assert.equal(del.length, 5);
      assert.ok(del.includes('fAllowFullControl') && del.includes('MaxTicketExpiry'));
      assert.equal(effectiveRdpSetting(st, 'fAllowToGetHelp').value, 0);
      assert.equal(num(st, 'HKLM\\Software\\Policies\\Microsoft\\Windows\\WinRM\\Service', 'AllowBasic'), 0);
      assert.equal(num(st, 'HKLM\\Software\\Policies\\Microsoft\\Windows\\WinRM\\Client', 'AllowUnencryptedTraffic'), 0);
      assert.equal(effectiveRdpSetting(st, 'MinEncryptionLevel').value, 3);
    });
  });

  describe('registry/', () => {
    test('RDP enable script: RDP on, NLA off at the listener, UDP disabled for the client', () => {
      const st = load('registry/rdp_enable_greg-chuchro.reg');
      assert.equal(effectiveDenyTsConnections(st).value, 0);
      const nla = effectiveRdpSetting(st, 'UserAuthentication');
      assert.deepEqual([nla.value, nla.decidedBy, nla.source?.line], [0, 'listener', 9]);
      assert.equal(num(st, 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\Client', 'fClientDisableUDP'), 1);
      assert.equal(detectRoles(st).rdpEnabled.present, true);
    });

    test('PsSsl SCHANNEL export: only SSL 2.0 client configured; server side falls back to OS defaults', () => {
      const st = load('registry/schannel_pssl.reg');
      assert.equal(num(st, 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL', 'EventLogging'), 1);
      const ssl2 = schannelProtocol(st, 'SSL 2.0', 'Client');
      assert.deepEqual([ssl2.enabled, ssl2.detail], [false, 'DisabledByDefault=1']);
      const tls10 = schannelProtocol(st, 'TLS 1.0');
      assert.equal(tls10.enabled, 'unknown', 'without systeminfo the OS default cannot be named');
      assert.match(tls10.detail, /no systeminfo/);
      const withOs = load('registry/schannel_pssl.reg', 'sysinfo/srv_2019_rtm_datacenter_en-us_systeminfo.txt');
      const t = schannelProtocol(withOs, 'TLS 1.0');
      assert.deepEqual([t.enabled, t.decidedBy], [true, 'os-default']);
      assert.match(t.detail, /OS default for Windows Server 2016 \/ 2019 \(build 17763\)/);
    });

    test('LanmanServer REGEDIT4: null-session access allowed (lower-case name); AutoShareServer misplaced under Shares', () => {
      const st = load('registry/lanmanserver_fishes.reg');
      const params = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters';
      assert.equal(num(st, params, 'RestrictNullSessAccess'), 0);
      assert.equal(num(st, params, 'EnableAuthenticateUserSharing'), 0);
      assert.equal(registryLookup(st, params, 'AutoShareServer').status, 'not-collected');
      assert.equal(num(st, 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Shares', 'AutoShareServer'), 0);
    });

    test('RDP resource fix: USB redirection policy, default value, redirection warning dialog', () => {
      const st = load('registry/rdp_resource-fix.reg');
      const k = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\Client';
      assert.equal(num(st, k, 'fEnableUsbBlockDeviceBySetupClass'), 1);
      assert.equal(num(st, k, 'fEnableUsbNoAckIsochWriteToDevice'), 0x50);
      assert.equal(num(st, k, 'fEnableUsbSelectDeviceByInterface'), 1);
      assert.equal(num(st, k, 'RedirectionWarningDialogVersion'), 1);
      const def = registryLookup(st, k, '');
      assert.ok(def.status === 'set' && def.data.type === 'REG_SZ' && def.data.value === '');
      const blocked = registryLookup(st, `${k}\\UsbBlockDeviceBySetupClasses`, '1000');
      assert.ok(blocked.status === 'set' && blocked.data.value === '{3376f4ce-ff8d-40a2-a80f-bb4359d1415c}');
    });
  });

  describe('sysinfo/', () => {
    const facts = (f: string) => {
      const st = load(`sysinfo/${f}`);
      const s = st.system!;
      return { st, s, host: s.hostName?.value, build: s.osBuild?.value, role: s.domainRole?.value, domain: s.domain?.value, fixes: st.hotfixes!.hotfixes.map((h) => h.id), reported: s.hotfixesReported?.value, product: osRelease(st)?.product };
    };

    test('Server 2003 R2: 352 reported, 240 listed, last cut off, placeholders and type suffixes', () => {
      const x = facts('srv_2003r2_sp2_x86_standard_en-us_systeminfo.txt');
      assert.deepEqual([x.build, x.role, x.product, x.reported, x.fixes.length], [3790, 'standalone-server', 'Windows Server 2003', 352, 240]);
      assert.equal(x.fixes[x.fixes.length - 1], 'KB2862');
      assert.equal(x.fixes[0], 'File 1');
      assert.ok(x.st.hotfixes!.hotfixes.some((h) => h.description === 'QFE') && x.st.hotfixes!.hotfixes.some((h) => h.description === 'Update'));
      assert.ok(x.st.problems.some((p) => p.severity === 'warning' && /reports 352 hotfixes but lists 240/.test(p.reason)));
      assert.equal(osRelease(x.st)!.endOfSupport, '2015-07-14');
    });

    test('Server 2008 R2 SP1: two hotfixes', () => {
      const x = facts('srv_2008r2_sp1_x64_standard_en-us_systeminfo.txt');
      assert.deepEqual([x.build, x.role, x.product, x.fixes], [7601, 'standalone-server', 'Windows Server 2008 R2', ['KB958488', 'KB976902']]);
    });

    test('Server 2012 R2 Update 1: member server of nuggetlab.com, 154 hotfixes', () => {
      const x = facts('srv_2012r2_u1_systeminfo.txt');
      assert.deepEqual([x.host, x.build, x.role, x.domain, x.s.logonServer!.value, x.fixes.length, x.reported], ['SRV12R2U1X64', 9600, 'member-server', 'nuggetlab.com', '\\\\DC-NUG1', 154, 154]);
      assert.equal(detectRoles(x.st).domainController.present, false);
    });

    test('Russian Server 2012 R2: primary domain controller of TEST, 7 hotfixes, dd.mm.yyyy dates', () => {
      const x = facts('srv_2012r2_x64_standard_ru_systeminfo.txt');
      assert.deepEqual([x.host, x.build, x.role, x.domain, x.fixes.length, x.product], ['DC', 9600, 'primary-dc', 'TEST', 7, 'Windows Server 2012 R2']);
      assert.equal(x.s.installDate!.value.iso, '2020-04-17');
      assert.equal(x.s.bootTime!.value.iso, '2020-04-23');
      assert.equal(detectRoles(x.st).domainController.present, true);
    });

    test('Server 2016, 2019 and 2022', () => {
      const a = facts('srv_2016_1607_datacenter_en-us_systeminfo.txt');
      assert.deepEqual([a.build, a.role, a.fixes.length, a.product], [14393, 'standalone-server', 5, 'Windows Server 2016']);
      const b = facts('srv_2019_rtm_datacenter_en-us_systeminfo.txt');
      assert.deepEqual([b.host, b.build, b.domain, b.fixes.length, b.product], ['WIN-O863JARO7CM', 17763, 'WORKGROUP', 5, 'Windows Server 2019']);
      const c = facts('srv_2022_systeminfo.txt');
      assert.deepEqual([c.build, c.domain, c.fixes.length, c.product], [20348, 'WORKGROUP', 3, 'Windows Server 2022']);
    });

    test('wmic qfe table (UTF-16LE): 154 KB rows with install dates', () => {
      const st = load('sysinfo/srv_2012r2_u1_qfe.txt');
      const fixes = st.hotfixes!.hotfixes;
      assert.equal(fixes.length, 154);
      assert.ok(fixes.every((h) => /^KB\d+$/.test(h.id) && h.installedOn));
      assert.equal(fixes.map((h) => h.installedOn!).sort().at(-1), '2019-03-20');
    });
  });

  describe('netstat/', () => {
    test('netstat -aon: 39 TCP listeners, 32 established, IPv6 and UDP rows', () => {
      const st = load('netstat/win10_netstat-aon.out');
      const l = st.listeners!;
      assert.equal(l.listeners.filter((x) => x.protocol === 'tcp').length, 39);
      assert.equal(l.connections, 32);
      assert.ok(l.listeners.some((x) => x.address === '::' && x.protocol === 'tcp'));
      assert.ok(l.listeners.some((x) => x.protocol === 'udp'));
      for (const port of [135, 445, 443, 902]) assert.ok(l.listeners.some((x) => x.port === port && x.address === '0.0.0.0'), `port ${port}`);
      assert.equal(l.withOwners, false);
    });

    test('netstat -aonb: remote-access tools and owners', () => {
      const st = load('netstat/win10_netstat-aonb.out');
      const l = st.listeners!;
      assert.equal(l.withOwners, true);
      const anydesk = l.listeners.find((x) => x.port === 7070 && x.protocol === 'tcp')!;
      assert.deepEqual([anydesk.address, anydesk.process], ['0.0.0.0', 'AnyDesk.exe']);
      const tv = l.listeners.find((x) => x.process === 'TeamViewer_Service.exe' && x.protocol === 'tcp')!;
      assert.deepEqual([tv.address, tv.port, tv.pid, tv.loopback, tv.source.line], ['127.0.0.1', 5939, 7340, true, 85]);
      assert.equal(l.listeners.find((x) => x.port === 443)!.process, 'vmware-hostd.exe');
      assert.equal(l.listeners.find((x) => x.port === 2179)!.process, 'vmms.exe');
      assert.deepEqual(l.listeners.find((x) => x.port === 135)!.services, ['RpcSs']);
    });
  });

  describe('accounts/', () => {
    test('Windows 2008: users, built-in Administrator active and not renamed, non-built-in admins', () => {
      const st = load('accounts/win2008_net_user.out', 'accounts/win2008_net_user.administrator.out', 'accounts/win2008_net_localgroup.out', 'accounts/win2008_net_localgroup.administrators.out');
      const a = st.accounts!;
      assert.equal(a.computer!.value, 'WIN-SERVER8');
      assert.deepEqual(Object.values(a.users).map((u) => u.name).sort(), ['Administrator', 'Guest', 'user1', 'vagrant']);
      const admin = a.users['administrator']!;
      assert.equal(admin.active!.value, true);
      assert.equal(admin.comment!.value, 'Built-in account for administering the computer/domain');
      assert.equal(admin.lastLogon!.value.iso, '2010-11-20');
      assert.equal(admin.passwordLastSet!.value.iso, '2024-01-11');
      assert.equal(Object.keys(a.groups).length, 16);
      assert.ok(a.groups['iis_iusrs'] && a.groups['remote desktop users'] && a.groups['power users']);
      assert.deepEqual(a.groups['administrators']!.members!.map((m) => m.value), ['Administrator', 'user1', 'vagrant']);
    });

    test('Windows 2016: domain principals among local admins; expired password', () => {
      const st = load('accounts/win2016_net_user.out', 'accounts/win2016_net_user.administrators.out', 'accounts/win2016_net_localgroup.out', 'accounts/win2016_net_localgroup.administrators.out');
      const a = st.accounts!;
      assert.equal(a.computer!.value, 'WIN-SERVER16');
      assert.deepEqual(Object.values(a.users).map((u) => u.name).sort(), ['Administrator', 'DefaultAccount', 'Guest', 'user1']);
      const admin = a.users['administrator']!;
      assert.equal(admin.active!.value, true);
      assert.equal(admin.passwordExpires!.value.iso, '2022-01-27');
      assert.equal(admin.lastLogon!.value.iso, '2024-08-23');
      assert.equal(Object.keys(a.groups).length, 24);
      assert.ok(a.groups['hyper-v administrators'] && a.groups['remote management users'] && a.groups['storage replica administrators']);
      const admins = a.groups['administrators']!;
      assert.deepEqual(admins.members!.map((m) => m.value), ['Administrator', 'SOMECOMPANY\\ansible', 'SOMECOMPANY\\da', 'SOMECOMPANY\\Domain Admins', 'SOMECOMPANY\\localadmin', 'user1']);
      assert.equal(admins.comment, undefined);
    });
  });

  describe('dns/', () => {
    test('Get-DnsServerSetting -All and Get-DnsServerRecursion transcripts', () => {
      const st = load('dns/Get-DnsServerSetting.md', 'dns/Get-DnsServerRecursion.md');
      const d = st.dns!;
      const v = (k: string) => d.settings[k.toLowerCase()]!.value;
      assert.deepEqual(['EnableDnsSec', 'AllowUpdate', 'OpenAclOnProxyUpdates', 'SendPort', 'SocketPoolSize'].map(v), ['True', 'True', 'True', 'Random', '2500']);
      assert.equal(v('ServerLevelPluginDll'), '');
      assert.deepEqual([d.enableVersionQuery!.value, d.listenAddresses!.value, d.allAddresses!.value, d.version!.value], [0, ['172.23.90.136'], ['172.23.90.136'], '6.2.8230']);
      assert.equal(d.settings['enableduplicatequerysuppression']!.source.line, 165, 'the repeated property keeps its last line');
      assert.ok(Object.values(d.settings).every((s) => s.source.line! >= 28 && s.source.line! <= 175), 'only the captured output is read');
      assert.deepEqual([d.recursionEnabled!.value, d.recursionEnabled!.source.line], [false, 28]);
      assert.deepEqual([d.secureResponses!.value, d.secureResponses!.source.line], [true, 36]);
      assert.equal(detectRoles(st).dnsServer.present, true);
    });
  });

  describe('logs/', () => {
    test('W3C logs: layouts, entries, the corrupted first line of the IIS 7.5 log', () => {
      const a = load('logs/beats_iis_test.log').iisLogs!.files[0]!;
      assert.deepEqual(a.layouts.map((l) => l.value.length), [15, 19, 22]);
      const b = load('logs/beats_iis_test-iis-7.5.log');
      assert.ok(b.problems.some((p) => /not an IP address/.test(p.reason)));
      assert.equal(b.iisLogs!.files[0]!.malformedLines, 1);
      const c = load('logs/beats_iis_access-full.log').iisLogs!.files[0]!;
      assert.equal(c.layouts.length, 1);
      assert.ok(c.layouts[0]!.value.includes('s-sitename') && c.layouts[0]!.value.includes('cs(Cookie)'));
      assert.equal(c.entries, 1);
    });
  });
});
