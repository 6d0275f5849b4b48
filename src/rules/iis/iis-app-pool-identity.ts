import type { EvidenceItem } from '../../core/finding.js';
import { iisSetConfig, type FixOp } from '../../fix/ops.js';
import { effectiveAttr } from '../../host/effective.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';
import { element, serverInfo } from '../lib/iis.js';

export const iisAppPoolIdentity = defineRule({
  id: 'iis-app-pool-identity',
  title: 'Application pools run as ApplicationPoolIdentity',
  failureTitle: 'An application pool runs as a privileged or shared identity',
  severity: 'high',
  area: 'iis',
  rationale:
    'A worker process has the rights of its pool identity. LocalSystem means any code execution in a site is full control of the server; NetworkService and LocalService are shared with other services; a specific user usually carries a password that never changes and rights nobody reviewed. ApplicationPoolIdentity gives each pool its own virtual account with no rights beyond what is granted to it.',
  remediation: 'Set processModel/@identityType to ApplicationPoolIdentity for each listed pool and grant that identity (IIS AppPool\\<pool>) only the folders it needs.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/applicationpools/add/processmodel', 'https://learn.microsoft.com/en-us/iis/manage/configuring-security/application-pool-identities', 'CIS Microsoft IIS 10 Benchmark 1.4 (Ensure application pool identity is configured for all application pools)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const pools = state.iis!.appPools;
    if (pools.length === 0) return notApplicable('No application pool is defined in the bundle.');
    const defaults = element(serverInfo(state), 'system.applicationHost/applicationPools/applicationPoolDefaults/processModel');
    const defAttr = effectiveAttr(defaults, 'identityType');
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    let worst: 'high' | 'medium' | 'low' | undefined;
    for (const p of pools) {
      const id = p.identityType ?? defAttr;
      const type = id?.value ?? 'ApplicationPoolIdentity';
      items.push({ label: `pool ${p.name} identityType`, value: `${type}${id ? '' : ' (IIS default)'}${type.toLowerCase() === 'specificuser' && p.userName ? ` (${p.userName.value})` : ''}`, source: id?.source ?? p.source });
      const t = type.toLowerCase();
      if (t === 'applicationpoolidentity') continue;
      const sev = t === 'localsystem' ? 'high' : t === 'specificuser' ? 'low' : 'medium';
      if (!worst || (sev === 'high') || (sev === 'medium' && worst === 'low')) worst = sev;
      fixes.push(iisSetConfig({ section: 'system.applicationHost/applicationPools', element: `add[@name='${p.name}']/processModel`, attribute: 'identityType', value: 'ApplicationPoolIdentity', location: '', reason: `Pool ${p.name} should run under its own virtual account.` }));
    }
    const bad = items.filter((i) => !/^ApplicationPoolIdentity/i.test(String(i.value)));
    if (nonEmpty(bad) && nonEmpty(fixes)) return fail(`${fixes.length} pool(s) do not use ApplicationPoolIdentity.`, bad, fixes, worst);
    return pass('Every application pool runs as ApplicationPoolIdentity.', items);
  },
});
