import type { EvidenceItem } from '../../core/finding.js';
import { manualStep } from '../../fix/ops.js';
import { defineRule, fail, manual, pass } from '../define.js';

export const antivirusRealtimeEnabled = defineRule({
  id: 'antivirus-realtime-enabled',
  title: 'Anti-virus real-time protection is on',
  failureTitle: 'Anti-virus real-time protection is off',
  severity: 'high',
  area: 'management',
  rationale:
    'Up-to-date signatures only help if the engine is running and scans files as they are written and executed. Real-time protection switched off (often "temporarily", for an installation) leaves the server to on-demand scans at best.',
  remediation: 'Turn real-time protection back on (Set-MpPreference -DisableRealtimeMonitoring $false) and check that no policy keeps it off.',
  references: ['https://learn.microsoft.com/en-us/powershell/module/defender/get-mpcomputerstatus', 'https://learn.microsoft.com/en-us/defender-endpoint/configure-real-time-protection-microsoft-defender-antivirus'],
  requires: ['antivirus'],
  evaluate(state) {
    const av = state.antivirus!;
    const items: EvidenceItem[] = [];
    if (av.antivirusEnabled) items.push({ label: 'AntivirusEnabled', value: av.antivirusEnabled.value, source: av.antivirusEnabled.source });
    if (av.realTimeProtectionEnabled) items.push({ label: 'RealTimeProtectionEnabled', value: av.realTimeProtectionEnabled.value, source: av.realTimeProtectionEnabled.source });
    if (!av.realTimeProtectionEnabled) return manual('RealTimeProtectionEnabled is not in the anti-virus status export.', ['Get-MpComputerStatus | ConvertTo-Json'], items);
    const off = av.realTimeProtectionEnabled.value === false || av.antivirusEnabled?.value === false;
    if (!off) return pass('The anti-virus engine and real-time protection are on.', items);
    return fail('Real-time anti-virus protection is off.', [items[0]!, ...items.slice(1)], [
      manualStep('Re-enable real-time protection and remove whatever policy disabled it.', ['Set-MpPreference -DisableRealtimeMonitoring $false', 'Get-MpPreference | Select-Object DisableRealtimeMonitoring']),
    ]);
  },
});
