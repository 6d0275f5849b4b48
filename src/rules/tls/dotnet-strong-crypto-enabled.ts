import type { EvidenceItem } from '../../core/finding.js';
import { setRegistryValue, type FixOp } from '../../fix/ops.js';
import { registryLookup, registryNumber } from '../../host/effective.js';
import { defineRule, fail, manual, nonEmpty, pass } from '../define.js';

const KEYS = ['HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319', 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319'];

export const dotnetStrongCryptoEnabled = defineRule({
  id: 'dotnet-strong-crypto-enabled',
  title: '.NET Framework 4 uses strong cryptography (SchUseStrongCrypto)',
  failureTitle: '.NET Framework 4 may use legacy TLS versions and ciphers',
  severity: 'medium',
  area: 'tls',
  rationale:
    'Applications built for .NET Framework before 4.6 pick their TLS versions themselves and, without SchUseStrongCrypto, offer SSL 3.0/TLS 1.0 and RC4 even when the OS supports better, which also breaks them once the server side disables the old protocols. Setting the value in both the 64-bit and 32-bit registry views makes every .NET 4 application use the OS\'s strong defaults.',
  remediation: 'Set SchUseStrongCrypto = 1 (and SystemDefaultTlsVersions = 1) under both .NETFramework\\v4.0.30319 keys, including WOW6432Node.',
  references: [
    'https://learn.microsoft.com/en-us/dotnet/framework/network-programming/tls',
    'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/security/enable-tls-1-2-client',
  ],
  requires: [],
  evaluate(state) {
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    let uncollected = 0;
    let present = 0;
    for (const key of KEYS) {
      const lk = registryLookup(state, key, 'SchUseStrongCrypto');
      if (lk.status === 'not-collected') {
        uncollected++;
        items.push({ label: `${key}\\SchUseStrongCrypto`, value: 'not collected' });
        continue;
      }
      if (lk.status === 'absent' && !lk.keyExists) {
        items.push({ label: key, value: 'key does not exist (.NET 4 not installed for this view)', source: lk.coveredBy });
        continue;
      }
      present++;
      const v = registryNumber(lk);
      items.push({ label: `${key}\\SchUseStrongCrypto`, value: v ?? 'not set', ...(lk.status === 'set' ? { source: lk.source } : lk.status === 'absent' ? { source: lk.coveredBy } : {}) });
      if (v !== 1) fixes.push(setRegistryValue({ key, name: 'SchUseStrongCrypto', kind: 'REG_DWORD', value: 1, reason: '.NET 4 applications must use the OS strong TLS defaults.' }));
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`SchUseStrongCrypto is not 1 in ${fixes.length} .NET registry view(s).`, items, fixes);
    if (uncollected > 0) return manual('The .NET Framework registry keys were not collected.', KEYS.map((k) => `reg query "${k}" /v SchUseStrongCrypto`), items);
    if (present === 0) return pass('.NET Framework 4 is not installed.', items);
    return pass('SchUseStrongCrypto = 1 in every .NET 4 registry view.', items);
  },
});
