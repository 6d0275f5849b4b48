import type { EvidenceItem } from '../../core/finding.js';
import { disableAccount, setSecurityPolicy } from '../../fix/ops.js';
import { defineRule, fail, manual, pass } from '../define.js';

export const guestAccountDisabled = defineRule({
  id: 'guest-account-disabled',
  title: 'Guest account is disabled',
  failureTitle: 'Guest account is enabled',
  severity: 'high',
  area: 'accounts',
  rationale:
    'The built-in Guest account (RID 501) has no password by default, so while it is enabled anyone can log on or reach shares as Guest without knowing a secret. Nothing on a server needs it.',
  remediation: 'Set "Accounts: Guest account status" to Disabled (secedit EnableGuestAccount = 0), or run net user Guest /active:no.',
  references: ['https://learn.microsoft.com/en-us/windows/security/threat-protection/security-policy-settings/accounts-guest-account-status', 'CIS Microsoft Windows Server 2022 Benchmark 2.3.1.2 (Accounts: Guest account status)'],
  requires: [],
  evaluate(state) {
    const sp = state.securityPolicy?.systemAccess['enableguestaccount'];
    const guestName = String(state.securityPolicy?.systemAccess['newguestname']?.value ?? 'Guest');
    const user = state.accounts?.users[guestName.toLowerCase()] ?? state.accounts?.users['guest'];
    const items: EvidenceItem[] = [];
    if (sp) items.push({ label: 'EnableGuestAccount', value: sp.value, source: sp.source });
    if (user?.active) items.push({ label: `net user ${user.name}: Account active`, value: user.active.value ? 'Yes' : 'No', source: user.active.source });
    const fix = () =>
      [
        setSecurityPolicy({ section: 'System Access', key: 'EnableGuestAccount', value: '0', reason: 'The Guest account allows logons without a secret.' }),
        disableAccount({ name: user?.name ?? guestName, rid: 501, reason: 'The Guest account allows logons without a secret.' }),
      ] as const;
    const enabledByPolicy = sp !== undefined && Number(sp.value) !== 0;
    const enabledByUser = user?.active?.value === true;
    if (enabledByPolicy || enabledByUser) {
      return fail(`The Guest account is enabled (${enabledByPolicy ? 'EnableGuestAccount = ' + String(sp?.value) : 'net user shows it active'}).`, [items[0]!, ...items.slice(1)], fix());
    }
    if (items.length === 0) {
      return manual('Neither the security template nor net user output shows the Guest account state.', ['secedit /export /cfg secpol.inf /areas SECURITYPOLICY', 'net user Guest'], [{ label: 'Guest account', value: 'not in the bundle' }]);
    }
    return pass('The Guest account is disabled.', items);
  },
});
