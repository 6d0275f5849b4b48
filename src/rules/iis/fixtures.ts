// Small applicationHost.config / web.config texts for the IIS rule tests, in the native format.

export interface SiteSpec {
  name: string;
  id?: number;
  bindings?: string[]; // "http/*:80:" form
  pool?: string;
  physicalPath?: string;
  logFile?: string; // raw attributes, e.g. 'directory="D:\\logs" logFormat="W3C"'
  hsts?: string; // raw attributes
  apps?: Array<{ path: string; pool?: string; physicalPath: string }>;
}

export interface AppHostSpec {
  /** Inner XML of the server-level <system.webServer>. */
  webServer?: string;
  /** Inner XML of the server-level <system.web> (not in real appHost, but IIS reads it the same way). */
  sites?: SiteSpec[];
  pools?: Array<{ name: string; identityType?: string; userName?: string }>;
  poolDefaults?: string;
  siteDefaults?: string;
  /** `<location path>` → inner XML. */
  locations?: Record<string, string>;
  log?: string;
  /** Extra top-level XML inside <system.applicationHost>. */
  appHostExtra?: string;
}

const DEFAULT_WEBSERVER = `
    <globalModules>
      <add name="StaticFileModule" image="%windir%\\System32\\inetsrv\\static.dll" />
      <add name="DirectoryListingModule" image="%windir%\\System32\\inetsrv\\dirlist.dll" />
      <add name="RequestFilteringModule" image="%windir%\\System32\\inetsrv\\modrqflt.dll" />
    </globalModules>
    <httpProtocol>
      <customHeaders>
        <clear />
        <add name="X-Powered-By" value="ASP.NET" />
      </customHeaders>
    </httpProtocol>
    <security>
      <authentication>
        <anonymousAuthentication enabled="true" userName="IUSR" />
      </authentication>
      <requestFiltering>
        <verbs allowUnlisted="true" />
      </requestFiltering>
      <isapiCgiRestriction notListedIsapisAllowed="false" notListedCgisAllowed="false" />
    </security>
    <directoryBrowse enabled="false" />`;

export function appHost(spec: AppHostSpec = {}): string {
  const sites = spec.sites ?? [{ name: 'Default Web Site' }];
  const siteXml = sites
    .map((s, i) => {
      const bindings = (s.bindings ?? ['http/*:80:']).map((b) => {
        const [proto, info] = b.split('/');
        return `          <binding protocol="${proto}" bindingInformation="${info}" />`;
      });
      const apps = (s.apps ?? []).map((a) => `        <application path="${a.path}"${a.pool ? ` applicationPool="${a.pool}"` : ''}>\n          <virtualDirectory path="/" physicalPath="${a.physicalPath}" />\n        </application>`);
      return `      <site name="${s.name}" id="${s.id ?? i + 1}">
        <application path="/"${s.pool ? ` applicationPool="${s.pool}"` : ''}>
          <virtualDirectory path="/" physicalPath="${s.physicalPath ?? '%SystemDrive%\\inetpub\\wwwroot'}" />
        </application>
${apps.join('\n')}
        <bindings>
${bindings.join('\n')}
        </bindings>${s.logFile ? `\n        <logFile ${s.logFile} />` : ''}${s.hsts ? `\n        <hsts ${s.hsts} />` : ''}
      </site>`;
    })
    .join('\n');
  const pools = (spec.pools ?? [{ name: 'DefaultAppPool' }])
    .map((p) => `      <add name="${p.name}">${p.identityType ? `<processModel identityType="${p.identityType}"${p.userName ? ` userName="${p.userName}"` : ''} />` : ''}</add>`)
    .join('\n');
  const locations = Object.entries(spec.locations ?? {})
    .map(([path, inner]) => `  <location path="${path}" overrideMode="Allow">\n${inner}\n  </location>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <applicationPools>
${pools}
      <applicationPoolDefaults managedRuntimeVersion="v4.0">${spec.poolDefaults ?? '<processModel identityType="ApplicationPoolIdentity" />'}</applicationPoolDefaults>
    </applicationPools>
    ${spec.log ?? '<log centralLogFileMode="Site" />'}
    <sites>
${siteXml}
      <siteDefaults>
        ${spec.siteDefaults ?? '<logFile logFormat="W3C" directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />'}
      </siteDefaults>
      <applicationDefaults applicationPool="DefaultAppPool" />
    </sites>
    ${spec.appHostExtra ?? ''}
  </system.applicationHost>
  <system.webServer>${spec.webServer ?? DEFAULT_WEBSERVER}
  </system.webServer>
${locations}
</configuration>
`;
}

export function webConfig(inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n${inner}\n</configuration>\n`;
}

export { DEFAULT_WEBSERVER };
