import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';
import { onSystemDrive } from '../lib/iis.js';

export const iisContentOffSystemDrive = defineRule({
  id: 'iis-content-off-system-drive',
  title: 'Web content lives off the system drive',
  failureTitle: 'Web content lives on the system drive',
  severity: 'low',
  area: 'iis',
  rationale:
    'Seed 000 moves content away from the drive that holds Windows so that a path-traversal bug in a site cannot walk from the content into system folders, and so that filling the content volume cannot stop the OS. The default C:\\inetpub\\wwwroot is also the first place an attacker looks. (Seed 003 notes a competition where content must stay in inetpub: that is a waiver.) The system drive is taken to be C: because the bundle does not record it.',
  remediation:
    'Move each site\'s content to a dedicated data volume, point the virtual directory\'s physicalPath there, and re-apply the folder permissions.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/sites/site/application/virtualdirectory', 'CIS Microsoft IIS 10 Benchmark 1.1 (Ensure web content is on non-system partition)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    let dirs = 0;
    for (const site of state.iis!.sites) {
      for (const app of site.applications) {
        for (const v of app.virtualDirectories) {
          dirs++;
          const where = `${site.name}${app.path === '/' ? '' : app.path}${v.path === '/' ? '' : v.path}`;
          items.push({ label: `${where} physicalPath`, value: v.physicalPath, source: v.source });
          if (onSystemDrive(v.physicalPath)) {
            fixes.push(manualStep(`Move the content of ${where} off the system drive and update its physicalPath.`, [`%windir%\\system32\\inetsrv\\appcmd.exe set vdir "${site.name}${app.path === '/' ? '' : app.path}${v.path}" -physicalPath:<D:\\web\\...>`]));
          }
        }
      }
    }
    if (dirs === 0) return notApplicable('No virtual directory is defined in applicationHost.config.');
    const bad = items.filter((i) => onSystemDrive(String(i.value)));
    if (nonEmpty(bad) && nonEmpty(fixes)) return fail(`${bad.length} virtual director${bad.length === 1 ? 'y is' : 'ies are'} on the system drive.`, bad, fixes);
    return pass('Every virtual directory is off the system drive.', items);
  },
});
