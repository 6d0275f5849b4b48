import type { EvidenceItem } from '../../core/finding.js';
import { setAcl } from '../../fix/ops.js';
import { defineRule, fail, manual, nonEmpty, pass } from '../define.js';
import { isAdminPrincipal } from '../lib/iis.js';

const CONFIG_DIR = 'C:\\Windows\\System32\\inetsrv\\config';

export const iisConfigFolderAcl = defineRule({
  id: 'iis-config-folder-acl',
  title: 'IIS configuration folder is writable only by administrators',
  failureTitle: 'IIS configuration folder is writable by non-administrators',
  severity: 'high',
  area: 'iis',
  rationale:
    'applicationHost.config (the IIS 6 MetaBase.xml in seed 000) defines every site, handler, identity and encryption key of the server. Whoever can write it can map any file extension to any executable or change an app pool to LocalSystem. Only Administrators, SYSTEM and TrustedInstaller should have write access to the inetsrv\\config folder.',
  remediation: 'Reset the ACL of %windir%\\System32\\inetsrv\\config so that only Administrators, SYSTEM and TrustedInstaller can write (icacls /reset restores the default).',
  references: ['https://learn.microsoft.com/en-us/iis/get-started/planning-your-iis-architecture/deep-dive-into-iis-configuration-with-iis-7-and-iis-8', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/icacls'],
  roles: ['iis'],
  requires: [],
  evaluate(state) {
    const acl = Object.values(state.acls?.paths ?? {}).find((p) => /\\system32\\inetsrv\\config\\?$/i.test(p.path));
    if (!acl) return manual('The ACL of the IIS configuration folder is not in the bundle.', ['icacls %windir%\\System32\\inetsrv\\config'], []);
    const writers = acl.entries.filter((e) => !e.deny && e.canWrite && !isAdminPrincipal(e.principal));
    const items: EvidenceItem[] = writers.map((w) => ({ label: acl.path, value: `${w.principal}:${w.flags.map((f) => `(${f})`).join('')}`, source: w.source }));
    if (nonEmpty(items)) {
      return fail(`${writers.length} non-administrator entr${writers.length === 1 ? 'y' : 'ies'} can write the IIS configuration.`, items, [
        setAcl({ target: 'file', path: acl.path || CONFIG_DIR, protect: false, grants: [], removePrincipals: [...new Set(writers.map((w) => w.principal))], reason: 'Only administrators may change the IIS configuration.' }),
      ]);
    }
    return pass('Only administrators and SYSTEM can write the IIS configuration.', [{ label: acl.path, value: acl.entries.map((e) => e.principal).join(', '), source: acl.source }]);
  },
});
