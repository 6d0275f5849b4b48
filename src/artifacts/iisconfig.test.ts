import { test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { extractGoTemplateXml, parseIisConfig } from './iisconfig.js';
import { parseMetabase } from './misc.js';
import { buildHostState } from './bundle.js';
import { configAttr, iisEffectiveConfig, iisElement, iisScopes, iisSetting, iisSiteSetting } from '../host/effective.js';
import { fixtureFiles } from './fixtures/fixtures.js';
import type { HostState } from '../host/state.js';

const F = fixtureFiles();

function iisState() {
  return buildHostState({
    files: [{ name: 'iis/applicationHost.config', bytes: F['applicationHost.config']! }, { name: 'iis/sites/Default_Web_Site/root/web.config', bytes: F['web.config']! }],
    manifest: { files: [{ file: 'iis/sites/Default_Web_Site/root/web.config', kind: 'iis-webconfig', site: 'Default Web Site', virtualPath: '/' }] },
    problems: [],
  });
}

test('applicationHost.config: sites, bindings, applications, pools with defaults', () => {
  const { slice, problems } = parseIisConfig('applicationHost.config', F['applicationHost.config']!);
  assert.deepEqual(problems, []);
  assert.deepEqual(slice.sites.map((s) => s.name), ['Default Web Site', 'Intranet']);
  const dws = slice.sites[0]!;
  assert.deepEqual(dws.bindings.map((b) => [b.protocol, b.port, b.hostName, b.sslFlags]), [['http', 80, '', undefined], ['https', 443, 'www.example.org', 1]]);
  assert.equal(slice.sites[1]!.bindings[0]!.ip, '[::1]');
  assert.deepEqual(dws.applications.map((a) => [a.path, a.applicationPool, a.virtualDirectories[0]!.physicalPath]), [['/', 'DefaultAppPool', '%SystemDrive%\\inetpub\\wwwroot'], ['/api', 'LegacyPool', 'D:\\sites\\api']]);
  assert.deepEqual(slice.appPools.map((p) => [p.name, p.identityType?.value]), [['DefaultAppPool', 'ApplicationPoolIdentity'], ['LegacyPool', 'LocalSystem']]);
  assert.match(slice.sites[0]!.source.xpath!, /site\[@name='Default Web Site'\]$/);
});

test('effective config per site: server → location → site web.config → deeper location', () => {
  const st = iisState();
  assert.deepEqual(iisScopes(st), [{ site: 'Default Web Site' }, { site: 'Default Web Site', path: '/api' }, { site: 'Intranet' }]);
  const root = iisEffectiveConfig(st, { site: 'Default Web Site' });
  // location sets browsing on; the site's web.config (closer) turns it back off
  const browse = iisSetting(root, 'system.webServer/directoryBrowse', 'enabled')!;
  assert.equal(browse.value, 'false');
  assert.equal(browse.source.artifact, 'iis/sites/Default_Web_Site/root/web.config');
  assert.equal(browse.source.line, 9);
  assert.equal(iisSetting(root, 'system.web/compilation', 'debug')!.value, 'true');
  assert.equal(iisSetting(root, 'system.webServer/httpErrors', 'errorMode')!.value, 'DetailedLocalOnly');
  // verbs: server-level TRACE deny plus the web.config's OPTIONS deny
  const verbs = iisElement(root, 'system.webServer/security/requestFiltering/verbs')!;
  assert.deepEqual(verbs.items.map((i) => `${configAttr(i, 'verb')!.value}:${configAttr(i, 'allowed')!.value}`), ['TRACE:false', 'OPTIONS:false']);
  assert.equal(iisSetting(root, 'system.webServer/security/requestFiltering/requestLimits', 'maxAllowedContentLength')!.value, '30000000');

  const api = iisEffectiveConfig(st, { site: 'Default Web Site', path: '/api' });
  const mode = iisSetting(api, 'system.webServer/httpErrors', 'errorMode')!;
  assert.equal(mode.value, 'Detailed');
  assert.equal(mode.source.xpath, "/configuration/location[@path='Default Web Site/api']/system.webServer/httpErrors/@errorMode");
  const headers = iisElement(api, 'system.webServer/httpProtocol/customHeaders')!;
  assert.deepEqual(headers.items.map((i) => configAttr(i, 'name')!.value), ['X-Powered-By'], '<remove> drops the inherited header');
  assert.ok(headers.cleared, 'the server level <clear/> is recorded');

  const intranet = iisEffectiveConfig(st, { site: 'Intranet' });
  assert.equal(iisSetting(intranet, 'system.webServer/directoryBrowse', 'enabled')!.value, 'false');
  assert.equal(iisSetting(intranet, 'system.web/compilation', 'debug')!.isDefault, true);
});

test('inheritInChildApplications="false" stops settings at their own application', () => {
  const wc = '<?xml version="1.0"?>\r\n<configuration>\r\n  <location path="." inheritInChildApplications="false">\r\n    <system.web>\r\n      <customErrors mode="Off" />\r\n    </system.web>\r\n  </location>\r\n  <system.web>\r\n    <trace enabled="true" />\r\n  </system.web>\r\n</configuration>\r\n';
  const ah = new TextDecoder().decode(F['applicationHost.config']!).replace('<location path="Default Web Site">', '<location path="Default Web Site" inheritInChildApplications="false">');
  const st = buildHostState({
    files: [{ name: 'applicationHost.config', bytes: new TextEncoder().encode(ah) }, { name: 'root/web.config', bytes: new TextEncoder().encode(wc) }],
    manifest: { files: [{ file: 'root/web.config', kind: 'iis-webconfig', site: 'Default Web Site', virtualPath: '/' }] },
    problems: [],
  });
  const root = iisEffectiveConfig(st, { site: 'Default Web Site' });
  const api = iisEffectiveConfig(st, { site: 'Default Web Site', path: '/api' });
  assert.equal(iisSetting(root, 'system.web/customErrors', 'mode')!.value, 'Off');
  assert.equal(iisSetting(api, 'system.web/customErrors', 'mode')!.isDefault, true);
  assert.equal(iisSetting(api, 'system.web/trace', 'enabled')!.value, 'true', 'ordinary settings still flow down');
  const rootBrowse = iisSetting(root, 'system.webServer/directoryBrowse', 'enabled')!;
  assert.deepEqual([rootBrowse.value, rootBrowse.source.xpath], ['true', "/configuration/location[@path='Default Web Site']/system.webServer/directoryBrowse/@enabled"]);
  assert.equal(iisSetting(api, 'system.webServer/directoryBrowse', 'enabled')!.source.line, 48, 'the site location does not reach /api; the server level does');
});

test('site log settings merge siteDefaults with the site element', () => {
  const st = iisState();
  const dws = iisSiteSetting(st, 'Default Web Site', 'logFile');
  assert.equal(dws['directory']!.value, 'D:\\logs');
  assert.equal(dws['logFormat']!.value, 'W3C');
  const intranet = iisSiteSetting(st, 'Intranet', 'logFile');
  assert.equal(intranet['directory']!.value, '%SystemDrive%\\inetpub\\logs\\LogFiles');
});

test('attributes are read on demand, each with its own XPath; a repeated section group keeps where each came from', () => {
  const xml = [
    '<configuration>',
    '  <system.webServer a="1">',
    '    <directoryBrowse Enabled="true" enabled="false" />',
    '  </system.webServer>',
    '  <system.webServer a="2" b="3" __proto__="p">',
    '    <httpErrors errorMode="Custom" />',
    '  </system.webServer>',
    '</configuration>',
  ].join('\n');
  const { slice, problems } = parseIisConfig('web.config', xml);
  assert.deepEqual(problems, []);
  const ws = slice.webConfigs[0]!.locations['']!.sections['system.webserver']!;
  assert.deepEqual(ws.attrs, ['a', '2', 'b', '3', '__proto__', 'p'], 'a later block replaces a value in place and appends new names');
  assert.deepEqual(configAttr(ws, 'a'), { value: '2', source: { artifact: 'web.config', line: 5, xpath: '/configuration/system.webServer/@a' } });
  assert.deepEqual(configAttr(ws, '__proto__'), { value: 'p', source: { artifact: 'web.config', line: 5, xpath: '/configuration/system.webServer/@__proto__' } });
  assert.deepEqual(ws.children.map((c) => c.name), ['directoryBrowse', 'httpErrors']);
  const browse = ws.children[0]!;
  // Case-insensitive, first in document order (as every caller compared before).
  assert.deepEqual(configAttr(browse, 'enabled'), { value: 'true', source: { artifact: 'web.config', line: 3, xpath: '/configuration/system.webServer/directoryBrowse/@Enabled' } });
  assert.equal(configAttr(browse, 'missing'), undefined);
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(slice))), JSON.stringify(slice), 'the slice stays plain JSON data');
});

test('configSource is noted; external entities are never expanded', () => {
  const wc = parseIisConfig('web.config', F['web.config']!);
  assert.equal(wc.slice.webConfigs[0]!.configSources[0]!.value, 'connectionStrings.config');
  assert.ok(wc.problems.some((p) => p.severity === 'warning' && /configSource/.test(p.reason)));
  const xxe = parseIisConfig('xxe_web.config', F['xxe_web.config']!);
  const leak = configAttr(xxe.slice.webConfigs[0]?.locations['']?.sections['appsettings']?.children[0], 'value')?.value ?? '';
  const hostname = existsSync('/etc/hostname') ? readFileSync('/etc/hostname', 'utf8').trim() : '';
  if (hostname) assert.ok(!leak.includes(hostname), 'the external entity was not expanded');
  assert.ok(xxe.problems.some((p) => /DOCTYPE/.test(p.reason)));
  assert.ok(xxe.problems.some((p) => p.severity === 'error' && /xxe|entity/i.test(p.reason)), 'the undefined entity is reported');
});

test('malformed XML gives problems with lines instead of throwing', () => {
  const r = parseIisConfig('broken.config', '<configuration>\n  <system.webServer>\n    <directoryBrowse enabled="true">\n</configuration>\n');
  assert.ok(r.problems.some((p) => p.severity === 'error' && p.line !== undefined));
  const notXml = parseIisConfig('x.config', 'hello');
  assert.match(notXml.problems[0]!.reason, /not an XML configuration/);
  const wrongRoot = parseIisConfig('x.config', '<html></html>');
  assert.match(wrongRoot.problems[0]!.reason, /expected <configuration>/);
});

test('a Go source with an embedded template: actions neutralised, lines kept', () => {
  const go = 'package hwc\n\nconst tpl = `<?xml version="1.0"?>\n<configuration>\n  <system.applicationHost>\n    <sites>\n      <site name="S{{.Port}}" id="1">\n        {{ range .Apps }}\n        <application path="{{.Path}}"><virtualDirectory path="/" physicalPath="{{.Dir}}" /></application>\n        {{ end }}\n        <bindings><binding protocol="http" bindingInformation="*:{{.Port}}:" /></bindings>\n      </site>\n    </sites>\n  </system.applicationHost>\n  <system.webServer><globalModules><add name="{{ index . "Name" }}" {{ if .X }} preCondition="{{ .X }}" {{end}} /></globalModules></system.webServer>\n</configuration>`\n';
  const t = extractGoTemplateXml(go)!;
  assert.equal(t.lineOffset, 2);
  assert.equal(t.actions, 10);
  const r = parseIisConfig('hwc.go', go);
  assert.deepEqual(r.problems.map((p) => p.severity), ['warning']);
  assert.equal(r.slice.sites[0]!.name, 'STEMPLATE');
  assert.equal(r.slice.sites[0]!.source.line, 7, 'line numbers are those of the Go file');
});

test('IIS 6 metabase: keys by Location with their properties', () => {
  const { slice, problems } = parseMetabase('MetaBase.xml', F['MetaBase.xml']!);
  assert.deepEqual(problems, []);
  const svc = slice.keys['/lm/w3svc']!;
  assert.equal(svc.properties['anonymoususername']!.value, 'IUSR_WEB01');
  assert.match(svc.properties['websvcextrestrictionlist']!.value, /httpext\.dll,0,WEBDAV/);
  assert.match(slice.keys['/lm/w3svc/1/root']!.properties['accessflags']!.value, /AccessWrite/);
  assert.equal(slice.keys['/lm/w3svc/1/root']!.properties['path']!.value, 'c:\\inetpub\\wwwroot');
  assert.equal(slice.keys['/lm/w3svc/1']!.properties['logfiledirectory']!.value, 'C:\\WINDOWS\\system32\\LogFiles');
});

test('names from the file such as __proto__ and constructor stay own data: nothing throws, nothing inherited is found', () => {
  const xml = [
    '<configuration>',
    '  <__proto__ a="1" />',
    '  <__proto__ b="2" />',
    '  <system.webServer>',
    '    <directoryBrowse __proto__="x" enabled="true" />',
    '    <__proto__ enabled="true" />',
    '    <constructor enabled="true" />',
    '  </system.webServer>',
    '  <location path="__proto__"><system.webServer><directoryBrowse enabled="false" /></system.webServer></location>',
    '  <location path="constructor"><system.webServer><httpErrors errorMode="Detailed" /></system.webServer></location>',
    '</configuration>',
  ].join('\n');
  const { slice } = parseIisConfig('web.config', xml);
  const file = slice.webConfigs[0]!;
  assert.ok(Object.hasOwn(file.locations, '__proto__') && Object.hasOwn(file.locations, 'constructor'));
  assert.equal(Object.getPrototypeOf(file.locations), Object.prototype);
  const own = file.locations['']!.sections;
  assert.ok(Object.hasOwn(own, '__proto__'), 'a section named __proto__ is an own entry');
  assert.deepEqual(own['__proto__']!.attrs, ['a', '1', 'b', '2'], 'and its two blocks merge like any section');
  assert.equal(Object.getPrototypeOf(own), Object.prototype);

  const cfg = iisEffectiveConfig({ iis: slice } as HostState, { webConfig: 'web.config' });
  const browse = iisElement(cfg, 'system.webServer/directoryBrowse')!;
  assert.equal(Object.getPrototypeOf(browse.attributes), Object.prototype, 'an attribute named __proto__ does not replace the prototype');
  assert.equal(browse.attributes['__proto__']!.value, 'x');
  assert.ok(Object.hasOwn(iisElement(cfg, 'system.webServer')!.children, '__proto__'));
  assert.equal(iisSetting(cfg, 'system.webServer/__proto__', 'enabled')!.value, 'true');
  // `constructor` is neither an inherited attribute nor an inherited child element.
  assert.equal(iisSetting(cfg, 'system.webServer/directoryBrowse', 'constructor'), undefined);
  assert.equal(iisSetting(cfg, 'system.webServer/constructor', 'enabled')!.value, 'true');
  assert.equal(iisElement(cfg, 'system.webServer/toString'), undefined);
});

test('iisSiteSetting keeps an attribute named __proto__ as own data', () => {
  const xml = [
    '<configuration><system.applicationHost><sites>',
    '  <site name="S" id="1"><application path="/"><virtualDirectory path="/" physicalPath="D:\\s" /></application><logFile __proto__="p" directory="D:\\logs" /></site>',
    '  <siteDefaults><logFile __proto__="d" enabled="true" /></siteDefaults>',
    '</sites></system.applicationHost></configuration>',
  ].join('\n');
  const { slice } = parseIisConfig('applicationHost.config', xml);
  const log = iisSiteSetting({ iis: slice } as HostState, 'S', 'logFile');
  assert.equal(Object.getPrototypeOf(log), Object.prototype);
  assert.deepEqual(Object.keys(log), ['__proto__', 'enabled', 'directory']);
  assert.equal(log['__proto__']!.value, 'p', 'the site value overrides the default');
  assert.equal(log['directory']!.source.xpath, "/configuration/system.applicationHost/sites/site[@name='S']/logFile/@directory");
});
