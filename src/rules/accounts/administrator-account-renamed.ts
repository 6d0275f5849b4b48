import type { EvidenceItem } from '../../core/finding.js';
import { renameAccount } from '../../fix/ops.js';
import { defineRule, fail, manual, pass } from '../define.js';

export const administratorAccountRenamed = defineRule({
  id: 'administrator-account-renamed',
  title: 'Built-in Administrator account is renamed',
  failureTitle: 'Built-in Administrator account still has its default name',
  severity: 'low',
  area: 'accounts',
  rationale:
    'Every Windows server has an account with RID 500 that cannot be locked out by failed logons, and attackers try the name "Administrator" first. A different name does not stop a determined attacker who can enumerate SIDs, but it takes the account out of every automated password-guessing list.',
  remediation: 'Rename the RID-500 account ("Accounts: Rename administrator account" in policy, or Rename-LocalUser) to a name that does not suggest its role.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/accounts-rename-administrator-account', 'CIS Microsoft Windows Server 2022 Benchmark 2.3.1.4 (Accounts: Rename administrator account)'],
  requires: [],
  evaluate(state) {
    const sp = state.securityPolicy?.systemAccess['newadministratorname'];
    const fix = () => [renameAccount({ rid: 500, currentName: 'Administrator', reason: 'The default administrator name is the first one password-guessing tools try.' })] as const;
    if (sp) {
      const name = String(sp.value).replace(/^"|"$/g, '');
      const item: EvidenceItem = { label: 'NewAdministratorName', value: name, source: sp.source };
      if (name.toLowerCase() === 'administrator') return fail('The RID-500 account is still called Administrator.', [item], fix());
      return pass(`The RID-500 account is named "${name}".`, [item]);
    }
    const acc = state.accounts;
    if (acc?.userListComplete) {
      const admin = acc.users['administrator'];
      if (admin) return fail('An account named Administrator exists (net user list).', [{ label: 'net user', value: admin.name, source: admin.source }], fix());
      return pass('No account is named Administrator in the complete net user list.', [{ label: 'net user', value: Object.values(acc.users).map((u) => u.name).join(', ') }]);
    }
    return manual('The bundle has neither NewAdministratorName (secedit) nor a complete user list.', ['secedit /export /cfg secpol.inf /areas SECURITYPOLICY', 'net user'], [{ label: 'NewAdministratorName', value: 'not in the bundle' }]);
  },
});
