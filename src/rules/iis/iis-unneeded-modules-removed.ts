import type { EvidenceItem } from '../../core/finding.js';
import { iisRemoveModule, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';
import { element, itemSource, itemValue, serverInfo } from '../lib/iis.js';

/** Native modules whose features a static or ASP.NET site rarely needs and attackers like:
 *  CGI runs arbitrary executables, SSI includes files and can exec commands. (Directory listing
 *  and WebDAV have their own rules, which judge whether the feature is switched on.) */
const UNNEEDED: Record<string, string> = {
  cgimodule: 'CGI (runs executables per request)',
  serversideincludemodule: 'Server-Side Includes (#include / #exec)',
};

export const iisUnneededModulesRemoved = defineRule({
  id: 'iis-unneeded-modules-removed',
  title: 'Risky IIS modules (CGI, SSI) are not installed',
  failureTitle: 'Risky IIS modules are installed',
  severity: 'medium',
  area: 'iis',
  rationale:
    'Every native module in globalModules is loaded into every worker process and reachable through its handlers. Seed 003\'s first IIS tip is to remove the modules the sites do not use. CGI and Server-Side Includes are the ones that turn a file on disk into command execution; they are flagged whenever installed. The full module list is reported as evidence for review.',
  remediation: 'Uninstall the CGI and Server-Side Includes role services, or remove the modules from globalModules, unless a site really uses them (then waive with the reason).',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/globalmodules/', 'https://learn.microsoft.com/en-us/iis/get-started/introduction-to-iis/iis-modules-overview'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    if (!state.iis!.applicationHost) return notApplicable('globalModules lives in applicationHost.config, which is not in the bundle.');
    const info = serverInfo(state);
    const mods = element(info, 'system.webServer/globalModules')?.items ?? [];
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    // Values only (no provenance) for the ~40 modules; a Sourced value only for those cited.
    const names: string[] = [];
    for (const m of mods) {
      const name = itemValue(m, 'name');
      names.push(name ?? '?');
      const key = name?.toLowerCase();
      const why = key !== undefined && Object.hasOwn(UNNEEDED, key) ? UNNEEDED[key] : undefined;
      if (why !== undefined && name !== undefined) {
        items.push({ label: `global module ${name}`, value: why, source: itemSource(m) });
        fixes.push(iisRemoveModule({ module: name, scope: 'global', location: '', reason: `${why} is not needed to serve this content.` }));
      }
    }
    const list = { label: 'global modules', value: names.join(', ') || '(none)' };
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`Installed risky modules: ${items.map((i) => i.label.replace('global module ', '')).join(', ')}.`, [items[0], ...items.slice(1), list], fixes);
    return pass('Neither CGI nor Server-Side Includes is installed.', [list]);
  },
});
