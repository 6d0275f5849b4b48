import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, manual, nonEmpty, notApplicable, pass } from '../define.js';
import { metabaseProperty } from '../lib/iis6.js';

export const iis6WriteAccessDisabled = defineRule({
  id: 'iis6-write-access-disabled',
  title: 'IIS 6 sites and directories do not allow Write',
  failureTitle: 'IIS 6 grants Write access to web content',
  severity: 'high',
  area: 'iis',
  rationale:
    'The IIS 6 AccessWrite flag lets clients upload or change files with HTTP PUT. On a server that also runs scripts, that is remote code execution waiting for a file name. Seed 000 removes the Write permission from every site and virtual directory.',
  remediation: 'Clear the Write permission on each listed metabase node (IIS Manager → Home Directory, or adsutil.vbs SET <node>/AccessWrite FALSE).',
  references: ['https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2003/cc784753(v=ws.10)'],
  roles: ['iis'],
  requires: [],
  evaluate(state) {
    if (!state.iis6) {
      if (state.iis?.applicationHost) return notApplicable('This is IIS 7 or later; see iis-no-write-with-script-access.');
      return manual('No IIS 6 metabase in the bundle.', ['copy %windir%\\system32\\inetsrv\\MetaBase.xml'], []);
    }
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    for (const key of Object.values(state.iis6.keys)) {
      const flags = metabaseProperty(key, 'AccessFlags');
      if (!flags || !/\bAccessWrite\b/i.test(flags.value)) continue;
      items.push({ label: `${key.location} AccessFlags`, value: flags.value, source: flags.source });
      fixes.push(manualStep(`Remove AccessWrite at ${key.location}.`, [`cscript %SystemDrive%\\Inetpub\\AdminScripts\\adsutil.vbs SET ${key.location.replace(/^\//, '')}/AccessWrite FALSE`]));
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`${items.length} metabase node(s) allow Write.`, items, fixes);
    return pass('No metabase node allows Write.', []);
  },
});
