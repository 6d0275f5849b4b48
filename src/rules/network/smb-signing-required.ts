import { defineRule } from '../define.js';
import { judgeDword } from '../lib/dword.js';

export const smbSigningRequired = defineRule({
  id: 'smb-signing-required',
  title: 'SMB server requires signing',
  failureTitle: 'SMB server does not require signing',
  severity: 'medium',
  area: 'network',
  rationale:
    'Without mandatory signing, an attacker in the path can relay or alter SMB sessions (NTLM relay to this server is the classic case). Requiring signing makes every SMB message carry a key derived from the session, so a relayed or tampered session fails.',
  remediation:
    'Set "Microsoft network server: Digitally sign communications (always)" to Enabled (LanmanServer\\Parameters\\RequireSecuritySignature = 1) through Group Policy or the local security policy.',
  references: [
    'https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/microsoft-network-server-digitally-sign-communications-always',
    'CIS Microsoft Windows Server 2022 Benchmark 2.3.9.2 (Microsoft network server: Digitally sign communications (always))',
  ],
  requires: [],
  evaluate(state) {
    return judgeDword(state, {
      key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters',
      name: 'RequireSecuritySignature',
      expected: '1 (signing required)',
      ok: (v) => v === 1,
      absentDefault: { value: 0, note: 'Windows default on member servers: signing not required' },
      want: 1,
      what: 'SMB server signing',
      reason: 'Mandatory SMB signing defeats relayed and tampered SMB sessions.',
    });
  },
});
