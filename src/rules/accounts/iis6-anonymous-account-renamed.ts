import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, renameAccount, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';

export const iis6AnonymousAccountRenamed = defineRule({
  id: 'iis6-anonymous-account-renamed',
  title: 'IIS 6 anonymous account is not the default IUSR_<computer>',
  failureTitle: 'IIS 6 anonymous web account still has its default name',
  severity: 'low',
  area: 'accounts',
  rationale:
    'IIS 6 creates a real local account, IUSR_<COMPUTERNAME>, with a password, and runs every anonymous request under it. Its name is predictable from the host name, so it is a known target for password guessing and for granting it rights by mistake. Seed 000 renames it (and updates the metabase to match). IIS 7 and later use the built-in IUSR, which has no password; this rule only concerns IIS 6.',
  remediation: 'Rename IUSR_<COMPUTERNAME> to an unremarkable name, then set the AnonymousUserName (and AnonymousUserPass) in the metabase to the new name.',
  references: ['https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2003/cc784753(v=ws.10)', 'https://learn.microsoft.com/en-us/iis/get-started/planning-for-security/understanding-built-in-user-and-group-accounts-in-iis'],
  requires: [],
  evaluate(state) {
    const computer = (state.host.name?.value ?? state.accounts?.computer?.value ?? state.system?.hostName?.value ?? '').replace(/^\\\\/, '');
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const isDefault = (n: string) => /^iusr_/i.test(n) && (computer === '' || n.toLowerCase() === `iusr_${computer.toLowerCase()}`);
    for (const key of Object.values(state.iis6?.keys ?? {})) {
      const p = key.properties['anonymoususername'];
      if (p && isDefault(p.value)) {
        items.push({ label: `metabase ${key.location} AnonymousUserName`, value: p.value, source: p.source });
        fixes.push(manualStep(`Point AnonymousUserName at ${key.location} to the renamed account.`, [`cscript adsutil.vbs SET ${key.location.replace(/^\//, '')}/AnonymousUserName <new name>`]));
      }
    }
    for (const u of Object.values(state.accounts?.users ?? {})) {
      if (isDefault(u.name)) {
        items.push({ label: 'local account', value: u.name, source: u.source });
        fixes.unshift(renameAccount({ currentName: u.name, reason: 'The default IIS 6 anonymous account name is predictable from the host name.' }));
      }
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail('The IIS 6 anonymous account keeps its default IUSR_<computer> name.', items, fixes);
    if (!state.iis6) return notApplicable('No IIS 6 metabase in the bundle and no IUSR_<computer> account: this is not an IIS 6 server.');
    return pass('The IIS 6 anonymous account does not use the default IUSR_<computer> name.', []);
  },
});
