import { defineRule } from '../define.js';
import { judgeProtocol } from '../lib/tls.js';

export const schannelTls11Disabled = defineRule({
  id: 'schannel-tls11-disabled',
  title: 'TLS 1.1 is disabled for servers',
  failureTitle: 'TLS 1.1 is enabled for servers',
  severity: 'medium',
  area: 'tls',
  rationale:
    'TLS 1.1 fixed some CBC issues of 1.0 but keeps the old MD5/SHA-1 handshake and lacks modern AEAD ciphers; RFC 8996 deprecated it together with 1.0. It is enabled by default on Windows up to Server 2022.',
  remediation:
    'Set SCHANNEL\\Protocols\\TLS 1.1\\Server Enabled = 0 and DisabledByDefault = 1, then reboot.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings', 'https://learn.microsoft.com/en-us/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-', 'CIS Microsoft IIS 10 Benchmark 7.5 (TLS 1.1 is disabled)'],
  requires: [],
  evaluate(state) {
    return judgeProtocol(state, 'TLS 1.1', false, 'TLS 1.1 is deprecated (RFC 8996).');
  },
});
