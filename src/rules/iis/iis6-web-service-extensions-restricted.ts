import type { EvidenceItem } from '../../core/finding.js';
import { manualStep } from '../../fix/ops.js';
import { defineRule, fail, manual, nonEmpty, notApplicable, pass } from '../define.js';
import { webServiceExtensions } from '../lib/iis6.js';

export const iis6WebServiceExtensionsRestricted = defineRule({
  id: 'iis6-web-service-extensions-restricted',
  title: 'IIS 6 prohibits unknown ISAPI and CGI extensions',
  failureTitle: 'IIS 6 allows unknown ISAPI or CGI extensions',
  severity: 'high',
  area: 'iis',
  rationale:
    'On IIS 6 the Web Service Extensions list decides which ISAPI DLLs and CGI programs may serve requests. Seed 000 leaves only the needed ones allowed; the two catch-all entries "All Unknown ISAPI Extensions" (*.dll) and "All Unknown CGI Extensions" (*.exe) must stay prohibited, or any native program reachable through a script map will run.',
  remediation: 'In IIS Manager → Web Service Extensions, prohibit All Unknown ISAPI and CGI Extensions and every extension the sites do not use (iisext /DisFile or /RmFile).',
  references: ['https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2003/cc740160(v=ws.10)'],
  roles: ['iis'],
  requires: [],
  evaluate(state) {
    if (!state.iis6) {
      if (state.iis?.applicationHost) return notApplicable('This is IIS 7 or later (applicationHost.config present); see iis-isapi-cgi-restricted.');
      return manual('No IIS 6 metabase in the bundle.', ['copy %windir%\\system32\\inetsrv\\MetaBase.xml'], []);
    }
    const exts = webServiceExtensions(state);
    if (exts.length === 0) return manual('The metabase has no WebSvcExtRestrictionList.', ['cscript iisext.vbs /ListFile'], []);
    const open = exts.filter((e) => e.allowed && (e.path === '*.dll' || e.path === '*.exe'));
    const items: EvidenceItem[] = exts.filter((e) => e.allowed).map((e) => ({ label: e.path === '*.dll' ? 'All Unknown ISAPI Extensions' : e.path === '*.exe' ? 'All Unknown CGI Extensions' : e.description || e.path, value: `allowed (${e.path})`, source: e.entry.source }));
    if (open.length && nonEmpty(items)) {
      return fail(`Unknown ${open.map((e) => (e.path === '*.dll' ? 'ISAPI' : 'CGI')).join(' and ')} extensions are allowed.`, items, [
        manualStep('Prohibit the catch-all web service extensions.', open.map((e) => `cscript %windir%\\system32\\iisext.vbs /DisFile ${e.path}`)),
      ]);
    }
    return pass(`Unknown extensions are prohibited; ${items.length} specific extension(s) allowed (review each).`, items);
  },
});
