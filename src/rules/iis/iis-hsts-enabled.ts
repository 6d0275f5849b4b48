import type { ConfigElement } from '../../host/state.js';
import { iisSetConfig } from '../../fix/ops.js';
import { configAttr } from '../../host/effective.js';
import { defineRule } from '../define.js';
import { element, itemSource, itemValue, judgeScopes, scopeFix } from '../lib/iis.js';

/** The <site> element of applicationHost.config, where IIS 10 (1709+) keeps <hsts>. */
function siteElement(root: ConfigElement | undefined, name: string): ConfigElement | undefined {
  const sites = root?.children.find((c) => sameLower(c.name, 'sites'));
  const want = name.toLowerCase();
  return sites?.children.find((c) => sameLower(c.name, 'site') && anyAttrIs(c, 'name', want));
}

/** Does some attribute called `lname` (in any case) have the value `lvalue` (in any case)? */
function anyAttrIs(el: ConfigElement, lname: string, lvalue: string): boolean {
  const a = el.attrs;
  for (let j = 0; j < a.length; j += 2) if (sameLower(a[j]!, lname) && sameLower(a[j + 1]!, lvalue)) return true;
  return false;
}

/** `s.toLowerCase() === lower`, without lower-casing (allocating) when `s` is already equal. */
function sameLower(s: string, lower: string): boolean {
  return s === lower || s.toLowerCase() === lower;
}

export const iisHstsEnabled = defineRule({
  id: 'iis-hsts-enabled',
  title: 'HTTPS sites send Strict-Transport-Security',
  failureTitle: 'An HTTPS site does not send Strict-Transport-Security',
  severity: 'low',
  area: 'iis',
  rationale:
    'HSTS tells browsers to use HTTPS for the site from then on, so a user who types the bare name or follows an http link is not exposed to SSL stripping on the first request of every visit. IIS 10 version 1709 and later can send it per site (<hsts enabled>); older versions use a custom header.',
  remediation: 'Enable HSTS on each HTTPS site (site hsts/@enabled = true with max-age of at least 31536000), or add a Strict-Transport-Security custom header.',
  references: ['https://learn.microsoft.com/en-us/iis/get-started/whats-new-in-iis-10-version-1709/iis-10-version-1709-hsts', 'CIS Microsoft IIS 10 Benchmark 7.1 (Ensure HSTS Header is set)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const appHostRoot = state.iis!.applicationHost?.locations['']?.sections['system.applicationhost'];
    return judgeScopes(
      state,
      'HSTS',
      (info) => {
        if (!('site' in info.scope)) return { ok: true, note: 'not a site', items: [], fix: [] };
        const siteName = info.scope.site;
        const site = state.iis!.sites.find((s) => s.name === siteName);
        if (!site?.bindings.some((b) => sameLower(b.protocol, 'https'))) return { ok: true, note: 'no https binding', items: [], fix: [] };
        const hsts = siteElement(appHostRoot, siteName)?.children.find((c) => sameLower(c.name, 'hsts'));
        const enabled = configAttr(hsts, 'enabled');
        if (enabled?.value.toLowerCase() === 'true') return { ok: true, note: 'site hsts enabled', items: [{ label: `${info.label}: hsts@enabled`, value: 'true', source: enabled.source }], fix: [] };
        const header = element(info, 'system.webServer/httpProtocol/customHeaders')?.items.find((i) => itemValue(i, 'name')?.toLowerCase() === 'strict-transport-security');
        if (header) return { ok: true, note: 'Strict-Transport-Security custom header', items: [{ label: `${info.label}: Strict-Transport-Security`, value: itemValue(header, 'value') ?? '', source: itemSource(header) }], fix: [] };
        return {
          ok: false,
          note: 'no hsts element and no Strict-Transport-Security header',
          items: [{ label: `${info.label}: HSTS`, value: enabled ? `hsts enabled="${enabled.value}"` : 'not configured', source: enabled?.source ?? site.source }],
          fix: [
            scopeFix(info, () => iisSetConfig({ section: 'system.applicationHost/sites', element: `site[@name='${siteName}']/hsts`, attribute: 'enabled', value: true, location: '', reason: 'Browsers should only ever use HTTPS for this site.' }), 'enable HSTS'),
            // Without max-age the header tells browsers nothing lasting (max-age=0).
            scopeFix(info, () => iisSetConfig({ section: 'system.applicationHost/sites', element: `site[@name='${siteName}']/hsts`, attribute: 'max-age', value: 31536000, location: '', reason: 'Remember HTTPS-only for a year.' }), 'set hsts max-age'),
          ],
        };
      },
      { sitesOnly: true },
    );
  },
});
