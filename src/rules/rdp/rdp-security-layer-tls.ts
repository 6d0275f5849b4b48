import { defineRule } from '../define.js';
import { judgeRdp } from '../lib/rdp.js';

export const rdpSecurityLayerTls = defineRule({
  id: 'rdp-security-layer-tls',
  title: 'RDP requires the TLS security layer',
  failureTitle: 'RDP allows the legacy RDP security layer',
  severity: 'high',
  area: 'rdp',
  rationale:
    'With SecurityLayer 0 (RDP) or 1 (negotiate), a client can still be served Standard RDP Security, whose RC4-based encryption and lack of server authentication let a man in the middle read or hijack the session. Level 2 makes every connection start with TLS and authenticates the server by its certificate.',
  remediation:
    'Set "Require use of specific security layer for remote (RDP) connections" to SSL (SecurityLayer = 2).',
  references: ['https://learn.microsoft.com/en-us/windows/client-management/mdm/policy-csp-remotedesktopservices', 'CIS Microsoft Windows Server 2022 Benchmark 18.10.57.3.9.3 (Require use of specific security layer: SSL)'],
  roles: ['rdpEnabled'],
  requires: [],
  evaluate(state) {
    return judgeRdp(state, {
      name: 'SecurityLayer',
      expected: '2 (SSL/TLS)',
      ok: (v) => v === 2,
      want: 2,
      what: 'RDP security layer',
      reason: 'Standard RDP Security has no server authentication and weak, home-grown encryption.',
    });
  },
});
