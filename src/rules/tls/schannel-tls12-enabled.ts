import { defineRule } from '../define.js';
import { judgeProtocol } from '../lib/tls.js';

export const schannelTls12Enabled = defineRule({
  id: 'schannel-tls12-enabled',
  title: 'TLS 1.2 is enabled for servers',
  failureTitle: 'TLS 1.2 is not enabled for servers',
  severity: 'high',
  area: 'tls',
  rationale:
    'With the older versions off, TLS 1.2 (or 1.3) is what clients must be able to use. Windows Server 2008 R2 ships with TLS 1.2 disabled for servers and Server 2008 needs an update to support it at all; an explicit Enabled = 0 can also switch it off on newer releases.',
  remediation:
    'Set SCHANNEL\\Protocols\\TLS 1.2\\Server Enabled = 1 and DisabledByDefault = 0 (install KB4019276 first on Server 2008), then reboot.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings', 'https://learn.microsoft.com/en-us/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-', 'CIS Microsoft IIS 10 Benchmark 7.6 (TLS 1.2 is enabled)'],
  requires: [],
  evaluate(state) {
    return judgeProtocol(state, 'TLS 1.2', true, 'TLS 1.2 is the oldest protocol version still considered safe.');
  },
});
