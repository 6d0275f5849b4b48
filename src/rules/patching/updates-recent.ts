import { installUpdates } from '../../fix/ops.js';
import { defineRule, fail, manual } from '../define.js';
import { pass } from '../define.js';
import { daysBetween, referenceTime } from '../lib/time.js';

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** `/^\d{4}-\d{2}-\d{2}/` without a regular-expression call per update. */
function startsWithIsoDay(s: string): boolean {
  return (
    s.length >= 10 &&
    isDigit(s.charCodeAt(0)) && isDigit(s.charCodeAt(1)) && isDigit(s.charCodeAt(2)) && isDigit(s.charCodeAt(3)) &&
    s.charCodeAt(4) === 0x2d && isDigit(s.charCodeAt(5)) && isDigit(s.charCodeAt(6)) &&
    s.charCodeAt(7) === 0x2d && isDigit(s.charCodeAt(8)) && isDigit(s.charCodeAt(9))
  );
}

/** Compares the first ten characters (the ISO day) of two strings, like comparing their slices. */
function compareDay(a: string, b: string): number {
  for (let i = 0; i < 10; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return 0;
}

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
    const fix = () => [installUpdates({ kbs: [], reason: 'Bring the server up to the current monthly security updates.' })] as const;
    if (hotfixes.length === 0) return fail('No installed update is listed at all.', [{ label: 'installed updates', value: 0 }, ref.item], fix());
    // installedOn is an ISO date; only the day counts, so a time part cannot break the arithmetic.
    // One pass over the (often hundreds of) updates, comparing the day in place: no copy per update.
    let newest: (typeof hotfixes)[number] | undefined;
    for (const h of hotfixes) {
      if (typeof h.installedOn !== 'string' || !startsWithIsoDay(h.installedOn)) continue;
      if (newest === undefined || compareDay(h.installedOn, newest.installedOn as string) > 0) newest = h;
    }
    if (newest === undefined) {
      return manual(`${hotfixes.length} update(s) are listed but none with an install date.`, ['wmic qfe list full /format:csv', 'Get-HotFix | ConvertTo-Json'], [{ label: 'installed updates', value: hotfixes.length }]);
    }
    const day = (newest.installedOn as string).slice(0, 10);
    const age = daysBetween(`${day}T00:00:00Z`, ref.at);
    const items = [{ label: 'newest update', value: `${newest.id} installed ${day} (${age} days before ${ref.item.label})`, source: newest.source }, ref.item, { label: 'updates listed', value: hotfixes.length }] as const;
    if (age <= limit) return pass(`The newest update (${newest.id}) is ${age} days old; the limit is ${limit}.`, items);
    return fail(`The newest update (${newest.id}) is ${age} days old; the limit is ${limit}.`, items, fix());
  },
});
