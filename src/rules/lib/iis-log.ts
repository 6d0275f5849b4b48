// The log settings in force for a site: its own <logFile>, else <siteDefaults><logFile>, else the
// IIS defaults (enabled, W3C, daily, %SystemDrive%\inetpub\logs\LogFiles).
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
  const want = attribute.toLowerCase();
  const own = Object.entries(site.logFile?.attributes ?? {}).find(([k]) => k.toLowerCase() === want)?.[1];
  if (own) return { ...own, from: 'site' };
  const defaults = element(serverInfo(state), 'system.applicationHost/sites/siteDefaults/logFile');
  const def = Object.entries(defaults?.attributes ?? {}).find(([k]) => k.toLowerCase() === want)?.[1];
  if (def) return { ...def, from: 'siteDefaults' };
  return { value: DEFAULTS[want] ?? '', source: { artifact: 'IIS schema default', xpath: `system.applicationHost/sites/siteDefaults/logFile/@${attribute}` }, from: 'IIS default' };
}

export function centralLogMode(state: HostState): Sourced<string> {
  const log = element(serverInfo(state), 'system.applicationHost/log');
  const m = Object.entries(log?.attributes ?? {}).find(([k]) => k.toLowerCase() === 'centrallogfilemode')?.[1];
  return m ?? { value: 'Site', source: { artifact: 'IIS schema default', xpath: 'system.applicationHost/log/@centralLogFileMode' } };
}
