// The log settings in force for a site: its own <logFile>, else <siteDefaults><logFile>, else the
// IIS defaults (enabled, W3C, daily, %SystemDrive%\inetpub\logs\LogFiles).
import { configAttr, effectiveAttr } from '../../host/effective.js';
import type { HostState, IisSite, Sourced } from '../../host/state.js';
import { element, serverInfo } from './iis.js';

const DEFAULTS: Record<string, string> = {
  enabled: 'true',
  logformat: 'W3C',
  period: 'Daily',
  directory: '%SystemDrive%\\inetpub\\logs\\LogFiles',
};

export interface LogSetting extends Sourced<string> {
  from: 'site' | 'siteDefaults' | 'IIS default';
}

export function siteLogSetting(state: HostState, site: IisSite, attribute: string): LogSetting {
  const own = configAttr(site.logFile, attribute);
  if (own) return { value: own.value, source: own.source, from: 'site' };
  const def = effectiveAttr(element(serverInfo(state), 'system.applicationHost/sites/siteDefaults/logFile'), attribute);
  if (def) return { value: def.value, source: def.source, from: 'siteDefaults' };
  const lname = attribute.toLowerCase();
  return { value: (Object.hasOwn(DEFAULTS, lname) ? DEFAULTS[lname] : undefined) ?? '', source: { artifact: 'IIS schema default', xpath: `system.applicationHost/sites/siteDefaults/logFile/@${attribute}` }, from: 'IIS default' };
}

export function centralLogMode(state: HostState): Sourced<string> {
  const log = element(serverInfo(state), 'system.applicationHost/log');
  const m = effectiveAttr(log, 'centralLogFileMode');
  return m ?? { value: 'Site', source: { artifact: 'IIS schema default', xpath: 'system.applicationHost/log/@centralLogFileMode' } };
}
