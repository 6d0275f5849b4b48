import type { EvidenceItem } from '../../core/finding.js';
import { iisSetConfig, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';
import { attrItem, setting, siteRootInfos } from '../lib/iis.js';
import { centralLogMode, siteLogSetting } from '../lib/iis-log.js';

export const iisLoggingEnabled = defineRule({
  id: 'iis-logging-enabled',
  title: 'Every site writes W3C logs that roll over',
  failureTitle: 'A site does not write W3C access logs',
  severity: 'medium',
  area: 'logging',
  rationale:
    'Access logs are the only record of who requested what, and the first thing an investigation needs. Seed 003 keeps logging on in W3C format (the format every analysis tool reads) with a rollover period, so files stay manageable and old ones can be archived. Logging switched off per site, or httpLogging dontLog, leaves no trace of an attack.',
  remediation: 'Enable logging for each site with logFormat W3C and a rollover period (Daily, or MaxSize), and remove any httpLogging/@dontLog="true".',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/sites/sitedefaults/logfile/', 'https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/log/', 'CIS Microsoft IIS 10 Benchmark 5.2 (Ensure Advanced IIS logging is enabled)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const sites = state.iis!.sites;
    if (sites.length === 0) return notApplicable('No site is defined.');
    const mode = centralLogMode(state);
    const items: EvidenceItem[] = [{ label: 'centralLogFileMode', value: mode.value, source: mode.source }];
    const fixes: FixOp[] = [];
    const failing: string[] = [];
    const lmode = mode.value.toLowerCase();
    if (lmode === 'centralbinary') {
      fixes.push(iisSetConfig({ section: 'system.applicationHost/log', element: '', attribute: 'centralLogFileMode', value: 'Site', location: '', reason: 'Binary central logs are not W3C; use per-site W3C logs.' }));
      failing.push('server (central binary logging)');
    }
    // The shared per-site infos: their effective-configuration memo is warm from earlier rules.
    const infos = siteRootInfos(state);
    for (let i = 0; i < sites.length; i++) {
      const site = sites[i]!;
      const info = infos[i]!;
      const dontLog = setting(info, 'system.webServer/httpLogging', 'dontLog');
      if (dontLog?.value.toLowerCase() === 'true') {
        items.push(attrItem(info, 'httpLogging@dontLog', dontLog));
        fixes.push(iisSetConfig({ section: 'system.webServer/httpLogging', element: '', attribute: 'dontLog', value: false, location: site.name, reason: 'Requests to this site must be logged.' }));
        failing.push(site.name);
      }
      if (lmode !== 'site') continue;
      const enabled = siteLogSetting(state, site, 'enabled');
      const format = siteLogSetting(state, site, 'logFormat');
      const period = siteLogSetting(state, site, 'period');
      const show = (label: string, s: typeof enabled) => ({ label: `site ${site.name} logFile@${label}`, value: `${s.value}${s.from === 'site' ? '' : ` (from ${s.from})`}`, source: s.source });
      items.push(show('enabled', enabled), show('logFormat', format), show('period', period));
      const el = `site[@name='${site.name}']/logFile`;
      if (enabled.value.toLowerCase() === 'false') {
        fixes.push(iisSetConfig({ section: 'system.applicationHost/sites', element: el, attribute: 'enabled', value: true, location: '', reason: 'Every site must keep an access log.' }));
        failing.push(site.name);
      }
      if (format.value.toLowerCase() !== 'w3c') {
        fixes.push(iisSetConfig({ section: 'system.applicationHost/sites', element: el, attribute: 'logFormat', value: 'W3C', location: '', reason: 'W3C is the log format analysis tools read.' }));
        failing.push(site.name);
      }
    }
    if (nonEmpty(fixes)) return fail(`Access logging is incomplete for: ${[...new Set(failing)].join(', ')}.`, [items[0]!, ...items.slice(1)], fixes);
    return pass('Every site writes W3C logs with a rollover period.', items);
  },
});
