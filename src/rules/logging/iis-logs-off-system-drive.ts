import type { EvidenceItem } from '../../core/finding.js';
import { iisSetConfig, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';
import { onSystemDrive } from '../lib/iis.js';
import { siteLogSetting } from '../lib/iis-log.js';

export const iisLogsOffSystemDrive = defineRule({
  id: 'iis-logs-off-system-drive',
  title: 'IIS logs are written off the system drive',
  failureTitle: 'IIS logs are written to the system drive',
  severity: 'low',
  area: 'logging',
  rationale:
    'Seed 000 moves the logs to another volume: a flood of requests then fills the log volume instead of the one Windows needs to run, and the logs sit apart from the content and the system where an intruder is less likely to tamper with them. The default %SystemDrive%\\inetpub\\logs\\LogFiles is on the system drive (taken to be C:).',
  remediation: 'Point siteDefaults/logFile/@directory (and any site override) to a folder on a non-system volume, ACL it for Administrators and SYSTEM, and move the existing logs.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/sites/sitedefaults/logfile/', 'CIS Microsoft IIS 10 Benchmark 5.1 (Ensure default IIS web log location is moved)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const sites = state.iis!.sites;
    if (sites.length === 0) return notApplicable('No site is defined.');
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    let defaultsFixed = false;
    for (const site of sites) {
      const dir = siteLogSetting(state, site, 'directory');
      const item = { label: `site ${site.name} log directory`, value: `${dir.value}${dir.from === 'site' ? '' : ` (from ${dir.from})`}`, source: dir.source };
      items.push(item);
      if (!onSystemDrive(dir.value)) continue;
      if (dir.from === 'site') {
        fixes.push(iisSetConfig({ section: 'system.applicationHost/sites', element: `site[@name='${site.name}']/logFile`, attribute: 'directory', value: 'D:\\LogFiles', location: '', reason: 'Logs belong on a non-system volume (adjust the drive).' }));
      } else if (!defaultsFixed) {
        defaultsFixed = true;
        fixes.push(iisSetConfig({ section: 'system.applicationHost/sites', element: 'siteDefaults/logFile', attribute: 'directory', value: 'D:\\LogFiles', location: '', reason: 'Logs belong on a non-system volume (adjust the drive).' }));
      }
    }
    const bad = items.filter((i) => onSystemDrive(String(i.value)));
    if (nonEmpty(bad) && nonEmpty(fixes)) return fail(`${bad.length} site(s) log to the system drive.`, bad, fixes);
    return pass('Every site logs to a non-system volume.', items);
  },
});
