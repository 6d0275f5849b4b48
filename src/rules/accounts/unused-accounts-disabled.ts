import type { EvidenceItem } from '../../core/finding.js';
import { disableAccount, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, manual, nonEmpty, pass } from '../define.js';

const DAY = 86_400_000;

export const unusedAccountsDisabled = defineRule({
  id: 'unused-accounts-disabled',
  title: 'No enabled local account has been idle for long',
  failureTitle: 'Enabled local accounts have not been used for a long time',
  severity: 'medium',
  area: 'accounts',
  rationale:
    'An account nobody uses is an account nobody watches: its password is old, its owner may have left, and a logon with it raises no eyebrows. Seed 000 asks to disable accounts that are not needed. An enabled account whose last logon (or, when it never logged on, whose last password change) is older than the idle limit is flagged.',
  remediation: 'Disable (net user NAME /active:no) or delete each listed account after confirming with its owner.',
  references: ['https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/net-user', 'https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.localaccounts/disable-localuser'],
  requires: ['accounts'],
  evaluate({ accounts }, ctx) {
    const limit = ctx.options.maxIdleAccountDays;
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const unknown: string[] = [];
    let judged = 0;
    for (const u of Object.values(accounts.users)) {
      if (!u.active) {
        unknown.push(u.name);
        continue;
      }
      judged++;
      if (!u.active.value) continue;
      const last = u.lastLogon?.value.iso ?? null;
      const pwd = u.passwordLastSet?.value.iso ?? null;
      const ref = last ?? pwd;
      if (!ref) {
        if (u.lastLogon) unknown.push(u.name);
        continue;
      }
      const idle = Math.floor((ctx.now.getTime() - Date.parse(ref)) / DAY);
      if (idle <= limit) continue;
      const src = (last ? u.lastLogon?.source : u.passwordLastSet?.source) ?? u.source;
      items.push({ label: `${u.name} ${last ? 'last logon' : 'never logged on; password set'}`, value: `${ref.slice(0, 10)} (${idle} days ago)`, source: src });
      fixes.push(disableAccount({ name: u.name, reason: `Enabled but unused for ${idle} days.` }));
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`${fixes.length} enabled account(s) idle for more than ${limit} days: ${fixes.map((f) => (f.op === 'disableAccount' ? f.name : '')).join(', ')}.`, items, fixes);
    if (judged === 0 || unknown.length > 0) {
      return manual(
        `The per-user details (Account active, Last logon) are missing for ${unknown.length ? unknown.join(', ') : 'every user'}.`,
        (unknown.length ? unknown : ['<name>']).map((n) => `net user "${n}"`),
        items,
      );
    }
    return pass(`Every enabled local account was used within the last ${limit} days.`, []);
  },
});
