import type { EvidenceItem } from '../../core/finding.js';
import { setAcl, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, manual, nonEmpty, notApplicable, pass } from '../define.js';
import { aclFor, expandSystemDrive, isAdminPrincipal, siteRoots } from '../lib/iis.js';

export const iisContentNotWritable = defineRule({
  id: 'iis-content-not-writable',
  title: 'Only administrators can write to web content',
  failureTitle: 'Web content folders are writable by non-administrators',
  severity: 'high',
  area: 'iis',
  rationale:
    'If the anonymous account, the worker-process identity, Users or Everyone can write to a content folder, then any flaw that lets a request write a file (an upload form, WebDAV, a path bug) becomes a web shell that the server will execute. Seed 000 removes write permission from content; deployments should run as an administrator or a dedicated deploy account.',
  remediation:
    'Remove write rights (F, M, W) for every principal other than Administrators and SYSTEM from each site\'s content folder; grant the app-pool identity read and execute only. Folders that must accept uploads belong outside the content tree.',
  references: ['https://learn.microsoft.com/en-us/iis/get-started/planning-for-security/secure-content-in-iis-through-file-system-acls', 'https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/icacls'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const roots = siteRoots(state).filter((r) => r.vdir);
    if (roots.length === 0) return notApplicable('No site has a root virtual directory.');
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const missing: string[] = [];
    for (const r of roots) {
      const path = expandSystemDrive(r.vdir!.physicalPath);
      const acl = aclFor(state, path);
      if (!acl) {
        missing.push(path);
        continue;
      }
      const writers = acl.entries.filter((e) => !e.deny && e.canWrite && !isAdminPrincipal(e.principal));
      for (const w of writers) items.push({ label: `${r.site.name}: ${path}`, value: `${w.principal}:${w.flags.map((f) => `(${f})`).join('')}`, source: w.source });
      if (writers.length) {
        fixes.push(setAcl({ target: 'file', path, protect: false, grants: [], removePrincipals: [...new Set(writers.map((w) => w.principal))], reason: `Only administrators may change the content of ${r.site.name}.` }));
      }
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`Non-administrators can write to the content of ${fixes.length} site(s).`, items, fixes);
    if (missing.length) return manual(`The ACLs of ${missing.join(', ')} are not in the bundle.`, missing.map((p) => `icacls "${p}"`), items);
    return pass('Only administrators and SYSTEM can write to the content folders.', roots.map((r) => ({ label: r.site.name, value: expandSystemDrive(r.vdir!.physicalPath), source: r.vdir!.source })));
  },
});
