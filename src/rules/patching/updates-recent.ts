import { installUpdates } from '../../fix/ops.js';
import { defineRule, fail, manual } from '../define.js';
import { pass } from '../define.js';
import { daysBetween, referenceTime } from '../lib/time.js';

export const updatesRecent = defineRule({
  id: 'updates-recent',
  title: 'The newest update was installed recently',
  failureTitle: 'No update has been installed for too long',
  severity: 'high',
  area: 'patching',
  rationale:
    'Microsoft publishes security updates every month. Seed 001 makes hotfix compliance a standing duty (HFNetChk in its day); today the simplest inside-view signal is the date of the newest installed update: when it is older than about six weeks, at least one monthly rollup has been missed. The limit is configurable.',
  remediation: 'Install the current cumulative and security updates (Windows Update, WSUS or your patch tool) and find out why patching stopped.',
  references: ['https://learn.microsoft.com/en-us/windows/deployment/update/release-cycle', 'https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.management/get-hotfix'],
  requires: ['hotfixes'],
  evaluate(state, ctx) {
    const { hotfixes } = state.hotfixes!;
    const limit = ctx.options.maxHotfixAgeDays;
    const ref = referenceTime(state, ctx.now);
    const fix = [installUpdates({ kbs: [], reason: 'Bring the server up to the current monthly security updates.' })] as const;
    if (hotfixes.length === 0) return fail('No installed update is listed at all.', [{ label: 'installed updates', value: 0 }, ref.item], fix);
    // installedOn is an ISO date; keep only the day so a time part cannot break the arithmetic.
    const dated = hotfixes.filter((h) => typeof h.installedOn === 'string' && /^\d{4}-\d{2}-\d{2}/.test(h.installedOn)).map((h) => ({ ...h, installedOn: (h.installedOn as string).slice(0, 10) }));
    if (dated.length === 0) {
      return manual(`${hotfixes.length} update(s) are listed but none with an install date.`, ['wmic qfe list full /format:csv', 'Get-HotFix | ConvertTo-Json'], [{ label: 'installed updates', value: hotfixes.length }]);
    }
    const newest = dated.reduce((a, b) => ((a.installedOn as string) >= (b.installedOn as string) ? a : b));
    const age = daysBetween(`${newest.installedOn as string}T00:00:00Z`, ref.at);
    const items = [{ label: 'newest update', value: `${newest.id} installed ${newest.installedOn as string} (${age} days before ${ref.item.label})`, source: newest.source }, ref.item, { label: 'updates listed', value: hotfixes.length }] as const;
    if (age <= limit) return pass(`The newest update (${newest.id}) is ${age} days old; the limit is ${limit}.`, items);
    return fail(`The newest update (${newest.id}) is ${age} days old; the limit is ${limit}.`, items, fix);
  },
});
