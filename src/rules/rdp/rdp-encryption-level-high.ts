import { defineRule } from '../define.js';
import { judgeRdp } from '../lib/rdp.js';

export const rdpEncryptionLevelHigh = defineRule({
  id: 'rdp-encryption-level-high',
  title: 'RDP encryption level is High or FIPS',
  failureTitle: 'RDP encryption level is below High',
  severity: 'high',
  area: 'rdp',
  rationale:
    'MinEncryptionLevel governs Standard RDP Security: Low (1) encrypts only one direction and Client Compatible (2) accepts the strongest key the client offers, which may be 40 or 56 bits. High (3) insists on 128-bit encryption both ways. It matters as long as Standard RDP Security is still possible.',
  remediation:
    'Set "Set client connection encryption level" to High Level (MinEncryptionLevel = 3).',
  references: ['https://learn.microsoft.com/en-us/windows/client-management/mdm/policy-csp-remotedesktopservices', 'CIS Microsoft Windows Server 2022 Benchmark 18.10.57.3.9.5 (Set client connection encryption level: High)'],
  roles: ['rdpEnabled'],
  requires: [],
  evaluate(state) {
    return judgeRdp(state, {
      name: 'MinEncryptionLevel',
      expected: '3 (High) or 4 (FIPS)',
      ok: (v) => v >= 3,
      want: 3,
      what: 'RDP encryption level',
      reason: 'Low and Client Compatible levels let clients use weak RDP encryption.',
      absentDefault: { value: 2, note: 'Windows default: Client Compatible' },
    });
  },
});
