import type { EvidenceItem } from '../../core/finding.js';
import { manualStep } from '../../fix/ops.js';
import { effectiveAttr } from '../../host/effective.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';
import { element, serverInfo, siteRoots } from '../lib/iis.js';

export const iisAppPoolPerSite = defineRule({
  id: 'iis-app-pool-per-site',
  title: 'Each site has its own application pool',
  failureTitle: 'Sites share an application pool',
  severity: 'medium',
  area: 'iis',
  rationale:
    'Sites in the same pool run in the same worker process under the same identity: a flaw in one site gives access to the other\'s memory, files and credentials, and a crash takes both down. Seed 000 isolates sites with separate pools; today that is one pool per site with ApplicationPoolIdentity.',
  remediation: 'Create one application pool per site (New-WebAppPool) and move each site\'s root application to it.',
  references: ['https://learn.microsoft.com/en-us/iis/manage/configuring-security/application-pool-identities', 'CIS Microsoft IIS 10 Benchmark 1.5 (Ensure sites are using unique application pools)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const roots = siteRoots(state).filter((r) => r.root);
    if (roots.length < 2) return notApplicable(roots.length === 0 ? 'No site has a root application.' : 'Only one site is defined.');
    const defaults = element(serverInfo(state), 'system.applicationHost/sites/applicationDefaults');
    const defPool = effectiveAttr(defaults, 'applicationPool')?.value ?? 'DefaultAppPool';
    const bySite = roots.map((r) => ({ site: r.site.name, pool: r.root!.applicationPool ?? defPool, source: r.root!.source }));
    const count = new Map<string, number>();
    for (const s of bySite) count.set(s.pool.toLowerCase(), (count.get(s.pool.toLowerCase()) ?? 0) + 1);
    const items: EvidenceItem[] = bySite.map((s) => ({ label: `site ${s.site} pool`, value: s.pool, source: s.source }));
    const shared = bySite.filter((s) => (count.get(s.pool.toLowerCase()) ?? 0) > 1);
    const sharedItems = items.filter((_, i) => (count.get(bySite[i]!.pool.toLowerCase()) ?? 0) > 1);
    if (nonEmpty(sharedItems)) {
      return fail(`${shared.length} sites share pools: ${shared.map((s) => `${s.site} → ${s.pool}`).join(', ')}.`, sharedItems, [
        manualStep('Give each listed site its own application pool.', shared.map((s) => `New-WebAppPool -Name '${s.site} pool'; Set-ItemProperty 'IIS:\\Sites\\${s.site}' -Name applicationPool -Value '${s.site} pool'`)),
      ]);
    }
    return pass('Every site runs in its own application pool.', items);
  },
});
