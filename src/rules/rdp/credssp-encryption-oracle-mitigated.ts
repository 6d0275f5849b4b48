import { defineRule } from '../define.js';
import { judgeDword } from '../lib/dword.js';

export const credsspEncryptionOracleMitigated = defineRule({
  id: 'credssp-encryption-oracle-mitigated',
  title: 'CredSSP does not fall back to vulnerable peers',
  failureTitle: 'CredSSP is set to "Vulnerable" (encryption-oracle remediation off)',
  severity: 'high',
  area: 'rdp',
  rationale:
    'CredSSP carries the credentials for NLA. The 2018 fix for CVE-2018-0886 (an encryption-oracle flaw that lets a man in the middle run commands on the target) can be switched back off with AllowEncryptionOracle = 2 ("Vulnerable"), usually to reconnect to unpatched hosts. That re-opens the attack for every RDP and WinRM connection from and to this host.',
  remediation: 'Set "Encryption Oracle Remediation" to Force Updated Clients (0) or Mitigated (1), and patch the peers that needed the fallback.',
  references: [
    'https://learn.microsoft.com/en-us/troubleshoot/windows-server/remote/credssp-encryption-oracle-remediation',
    'CIS Microsoft Windows Server 2022 Benchmark 18.9.4.1 (Encryption Oracle Remediation: Force Updated Clients)',
  ],
  requires: [],
  evaluate(state) {
    return judgeDword(state, {
      key: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters',
      name: 'AllowEncryptionOracle',
      expected: '0 (Force Updated Clients) or 1 (Mitigated), never 2',
      ok: (v) => v !== 2,
      absentDefault: { value: 1, note: 'default since the May 2018 update: Mitigated' },
      want: 0,
      what: 'CredSSP encryption-oracle remediation',
      reason: 'CredSSP must not talk to unpatched peers (CVE-2018-0886).',
    });
  },
});
