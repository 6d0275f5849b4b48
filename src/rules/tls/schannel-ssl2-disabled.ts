import { defineRule } from '../define.js';
import { judgeProtocol } from '../lib/tls.js';

export const schannelSsl2Disabled = defineRule({
  id: 'schannel-ssl2-disabled',
  title: 'SSL 2.0 is disabled for servers',
  failureTitle: 'SSL 2.0 is enabled for servers',
  severity: 'critical',
  area: 'tls',
  rationale:
    'SSL 2.0 has no protection of the handshake, weak MAC construction and export-grade ciphers; it was prohibited by RFC 6176 in 2011 and makes DROWN-style attacks on the server key possible. Old Windows releases still serve it unless told not to.',
  remediation:
    'Set SCHANNEL\\Protocols\\SSL 2.0\\Server Enabled = 0 and DisabledByDefault = 1, then reboot.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings', 'https://learn.microsoft.com/en-us/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-', 'CIS Microsoft IIS 10 Benchmark 7.2 (SSLv2 is disabled)'],
  requires: [],
  evaluate(state) {
    return judgeProtocol(state, 'SSL 2.0', false, 'SSL 2.0 is broken beyond repair.');
  },
});
