import type { EvidenceItem } from '../../core/finding.js';
import { iisSetConfig, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';
import { attrItem, element, itemSource, itemValue, serverInfo, setting } from '../lib/iis.js';

const SECTION = 'system.webServer/security/isapiCgiRestriction';

export const iisIsapiCgiRestricted = defineRule({
  id: 'iis-isapi-cgi-restricted',
  title: 'Only listed ISAPI and CGI extensions may run',
  failureTitle: 'Unlisted ISAPI or CGI extensions may run',
  severity: 'high',
  area: 'iis',
  rationale:
    'The ISAPI and CGI restriction list (IIS 6 "web service extensions") is the allow-list of native code the server will load to answer requests. With notListedIsapisAllowed or notListedCgisAllowed true, any DLL or EXE that a handler mapping points to runs, including one an attacker managed to place on disk. Both must be false, and the list should hold only what the content needs.',
  remediation:
    'Set isapiCgiRestriction/@notListedIsapisAllowed and @notListedCgisAllowed to false and remove allowed entries the sites do not use.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/isapicgirestriction/', 'CIS Microsoft IIS 10 Benchmark 4.9 (notListedIsapisAllowed false) and 4.10 (notListedCgisAllowed false)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    if (!state.iis!.applicationHost) return notApplicable('Only applicationHost.config holds isapiCgiRestriction, and the bundle has none (web.config files only).');
    const info = serverInfo(state);
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    for (const attr of ['notListedIsapisAllowed', 'notListedCgisAllowed']) {
      const s = setting(info, SECTION, attr);
      items.push(attrItem(info, attr, s));
      if (s?.value.toLowerCase() === 'true') {
        fixes.push(iisSetConfig({ section: SECTION, element: '', attribute: attr, value: false, location: '', reason: 'Only explicitly allowed native extensions may run.' }));
      }
    }
    const allowed = (element(info, SECTION)?.items ?? []).filter((i) => itemValue(i, 'allowed')?.toLowerCase() === 'true');
    for (const a of allowed) items.push({ label: 'allowed extension', value: `${itemValue(a, 'description') ?? ''} ${itemValue(a, 'path') ?? ''}`.trim(), source: itemSource(a) });
    if (nonEmpty(items) && nonEmpty(fixes)) return fail('The restriction list lets unlisted native extensions run.', items, fixes);
    return pass(`Only listed extensions may run (${allowed.length} allowed; review that each is needed).`, items);
  },
});
