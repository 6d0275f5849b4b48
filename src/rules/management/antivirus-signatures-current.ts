import { manualStep } from '../../fix/ops.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { daysBetween, referenceTime } from '../lib/time.js';

export const antivirusSignaturesCurrent = defineRule({
  id: 'antivirus-signatures-current',
  title: 'Anti-virus signatures are current',
  failureTitle: 'Anti-virus signatures are out of date',
  severity: 'high',
  area: 'management',
  rationale:
    'Seed 001 lists regular signature updates among the duties that keep a managed server secure. Signatures that are more than a few days old miss the malware that is spreading now, which is exactly when they matter. Read from Get-MpComputerStatus (Microsoft Defender); other products are reviewed by hand.',
  remediation: 'Update the signatures (Update-MpSignature) and find out why automatic updates stopped (WSUS approval, proxy, disabled task).',
  references: ['https://learn.microsoft.com/en-us/powershell/module/defender/get-mpcomputerstatus', 'https://learn.microsoft.com/en-us/defender-endpoint/manage-updates-baselines-microsoft-defender-antivirus'],
  requires: ['antivirus'],
  evaluate(state, ctx) {
    const av = state.antivirus!;
    const limit = ctx.options.maxSignatureAgeDays;
    const fix = () => [manualStep('Update the anti-virus signatures and repair the update schedule.', ['Update-MpSignature', 'Get-MpComputerStatus | Select-Object AntivirusSignatureLastUpdated,AntivirusSignatureAge'])] as const;
    let age: number | undefined;
    let item;
    if (av.antivirusSignatureAge) {
      age = av.antivirusSignatureAge.value;
      item = { label: 'AntivirusSignatureAge (days, at collection)', value: age, source: av.antivirusSignatureAge.source };
    } else if (av.antivirusSignatureLastUpdated && Number.isFinite(Date.parse(av.antivirusSignatureLastUpdated.value))) {
      const ref = referenceTime(state, ctx.now);
      age = daysBetween(av.antivirusSignatureLastUpdated.value, ref.at);
      item = { label: 'AntivirusSignatureLastUpdated', value: `${av.antivirusSignatureLastUpdated.value} (${age} days before ${ref.item.label})`, source: av.antivirusSignatureLastUpdated.source };
    }
    if (age === undefined || !item) return manual('The signature age is not in the anti-virus status export.', ['Get-MpComputerStatus | ConvertTo-Json'], []);
    if (age <= limit) return pass(`Signatures are ${age} day(s) old; the limit is ${limit}.`, [item]);
    return fail(`Signatures are ${age} days old; the limit is ${limit}.`, [item], fix());
  },
});
