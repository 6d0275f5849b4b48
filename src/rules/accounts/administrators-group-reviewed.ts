import type { EvidenceItem } from '../../core/finding.js';
import { manualStep } from '../../fix/ops.js';
import type { LocalGroup } from '../../host/state.js';
import { defineRule, fail, manual, nonEmpty, pass } from '../define.js';

/** The Administrators alias (S-1-5-32-544) under the names the common UI languages give it. */
const ADMIN_GROUP_NAMES = ['administrators', 'administratoren', 'administrateurs', 'administradores', 'administratorer', 'amministratori', 'администраторы'];
/** Domain groups that are members by design. */
const EXPECTED_DOMAIN_GROUPS = ['domain admins', 'enterprise admins'];

export const administratorsGroupReviewed = defineRule({
  id: 'administrators-group-reviewed',
  title: 'Administrators group holds only the expected members',
  failureTitle: 'Administrators group has members to review',
  severity: 'medium',
  area: 'accounts',
  rationale:
    'Every member of the local Administrators group owns the server. Extra members accumulate (a vendor account, a former admin, a test user, a service account added "temporarily") and each is one more password that unlocks everything. Only the built-in administrator and the domain\'s admin groups are expected; anyone else must be justified, or waived with a reason.',
  remediation: 'Review each listed member; remove those without a current need (Remove-LocalGroupMember -Group Administrators -Member NAME) and waive the ones that must stay.',
  references: ['https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/plan/security-best-practices/implementing-least-privilege-administrative-models', 'https://learn.microsoft.com/en-us/windows-server/identity/ad-ds/manage/understand-security-groups'],
  requires: ['accounts'],
  evaluate(state) {
    const accounts = state.accounts!;
    let group: LocalGroup | undefined;
    for (const n of ADMIN_GROUP_NAMES) group = group ?? accounts.groups[n];
    if (!group?.members) return manual('The members of the local Administrators group are not in the bundle.', ['net localgroup Administrators'], []);
    const adminName = String(state.securityPolicy?.systemAccess['newadministratorname']?.value ?? 'Administrator').replace(/^"|"$/g, '').toLowerCase();
    const unexpected = group.members.filter((m) => {
      const name = m.value.toLowerCase();
      const short = name.includes('\\') ? name.slice(name.lastIndexOf('\\') + 1) : name;
      if (!name.includes('\\') && (short === adminName || short === 'administrator')) return false;
      return !(name.includes('\\') && EXPECTED_DOMAIN_GROUPS.includes(short));
    });
    const all: EvidenceItem[] = group.members.map((m) => ({ label: `${group!.name} member`, value: m.value, source: m.source }));
    const items: EvidenceItem[] = unexpected.map((m) => ({ label: `${group!.name} member to review`, value: m.value, source: m.source }));
    if (nonEmpty(items)) {
      return fail(`${items.length} member(s) of ${group.name} beyond the built-in administrator and the domain admin groups: ${unexpected.map((m) => m.value).join(', ')}.`, items, [
        manualStep('Confirm each listed member still needs full control of this server; remove the others.', unexpected.map((m) => `Remove-LocalGroupMember -Group '${group!.name}' -Member '${m.value.replace(/'/g, "''")}'`)),
      ]);
    }
    return pass(`${group.name} holds only the expected members.`, all);
  },
});
