import { defineRule } from '../define.js';
import { judgeProtocol } from '../lib/tls.js';

export const schannelSsl3Disabled = defineRule({
  id: 'schannel-ssl3-disabled',
  title: 'SSL 3.0 is disabled for servers',
  failureTitle: 'SSL 3.0 is enabled for servers',
  severity: 'high',
  area: 'tls',
  rationale:
    'SSL 3.0 cannot be used safely since the POODLE attack (2014) showed its CBC padding can be decrypted byte by byte; RFC 7568 deprecates it. Windows Server 2012 R2 and older still enable it by default.',
  remediation:
    'Set SCHANNEL\\Protocols\\SSL 3.0\\Server Enabled = 0 and DisabledByDefault = 1, then reboot.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings', 'https://learn.microsoft.com/en-us/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-', 'CIS Microsoft IIS 10 Benchmark 7.3 (SSLv3 is disabled)'],
  requires: [],
  evaluate(state) {
    return judgeProtocol(state, 'SSL 3.0', false, 'SSL 3.0 is vulnerable to POODLE.');
  },
});
