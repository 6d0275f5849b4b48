import type { EvidenceItem } from '../../core/finding.js';
import { setAcl, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, manual, nonEmpty, notApplicable, pass } from '../define.js';
import { aclFor, expandSystemDrive, isAdminPrincipal } from '../lib/iis.js';
import { siteLogSetting } from '../lib/iis-log.js';

export const iisLogFolderAcl = defineRule({
  id: 'iis-log-folder-acl',
  title: 'Only administrators and SYSTEM can write the IIS log folders',
  failureTitle: 'IIS log folders are writable by other accounts',
  severity: 'medium',
  area: 'logging',
  rationale:
    'Logs are evidence only if an intruder cannot edit them. HTTP.sys writes IIS logs as SYSTEM, so nobody else needs write access; seed 000 restricts the log folder to Administrators and SYSTEM. A writable log folder lets an attacker erase the requests that gave them away.',
  remediation: 'Remove write access for every principal other than Administrators and SYSTEM from each log folder (icacls <dir> /remove <principal>, or /inheritance:r with explicit grants).',
  references: ['https://learn.microsoft.com/en-us/iis/manage/provisioning-and-managing-iis/configure-logging-in-iis', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/icacls'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const sites = state.iis!.sites;
    if (sites.length === 0) return notApplicable('No site is defined.');
    const dirs = [...new Set(sites.map((s) => expandSystemDrive(siteLogSetting(state, s, 'directory').value)))];
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const missing: string[] = [];
    for (const dir of dirs) {
      const acl = aclFor(state, dir);
      if (!acl) {
        missing.push(dir);
        continue;
      }
      const writers = acl.entries.filter((e) => !e.deny && e.canWrite && !isAdminPrincipal(e.principal));
      for (const w of writers) items.push({ label: dir, value: `${w.principal}:${w.flags.map((f) => `(${f})`).join('')}`, source: w.source });
      if (writers.length) {
        fixes.push(setAcl({ target: 'file', path: dir, protect: true, grants: [{ principal: 'BUILTIN\\Administrators', rights: 'FullControl', inherit: true }, { principal: 'NT AUTHORITY\\SYSTEM', rights: 'FullControl', inherit: true }], removePrincipals: [...new Set(writers.map((w) => w.principal))], reason: 'Only administrators and SYSTEM may change the access logs.' }));
      }
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`Other accounts can write ${fixes.length} log folder(s).`, items, fixes);
    if (missing.length) return manual(`The ACLs of ${missing.join(', ')} are not in the bundle.`, missing.map((d) => `icacls "${d}"`), items);
    return pass('Only administrators and SYSTEM can write the log folders.', dirs.map((d) => ({ label: 'log folder', value: d })));
  },
});
