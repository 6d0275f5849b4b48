import { defineRule } from '../define.js';
import { judgeProtocol } from '../lib/tls.js';

export const schannelTls10Disabled = defineRule({
  id: 'schannel-tls10-disabled',
  title: 'TLS 1.0 is disabled for servers',
  failureTitle: 'TLS 1.0 is enabled for servers',
  severity: 'high',
  area: 'tls',
  rationale:
    'The seeds call TLS 1.0 secure; it no longer is. It relies on MD5/SHA-1 in the handshake and CBC constructions open to BEAST-style attacks, RFC 8996 deprecated it in 2021 and PCI DSS forbids it. Every Windows release up to Server 2022 still enables it by default, so it must be switched off explicitly (check first that no legacy client still needs it).',
  remediation:
    'Set SCHANNEL\\Protocols\\TLS 1.0\\Server Enabled = 0 and DisabledByDefault = 1 after confirming clients support TLS 1.2, then reboot.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings', 'https://learn.microsoft.com/en-us/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-', 'CIS Microsoft IIS 10 Benchmark 7.4 (TLS 1.0 is disabled)'],
  requires: [],
  evaluate(state) {
    return judgeProtocol(state, 'TLS 1.0', false, 'TLS 1.0 is deprecated (RFC 8996).');
  },
});
