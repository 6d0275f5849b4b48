import { installUpdates } from '../../fix/ops.js';
import { defineRule, fail, notApplicable, pass } from '../define.js';

export const requiredUpdatesInstalled = defineRule({
  id: 'required-updates-installed',
  title: 'Every required update is installed',
  failureTitle: 'Required updates are missing',
  severity: 'high',
  area: 'patching',
  rationale:
    'In a crisis (seed 001) the question is whether one specific fix is on every server. Given a list of KB numbers (--require-kb), this rule answers it per host from the installed-update list.',
  remediation: 'Install the listed updates; note that a later cumulative update may supersede a KB, in which case record that with a waiver.',
  references: ['https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.management/get-hotfix', 'https://www.catalog.update.microsoft.com/'],
  requires: ['hotfixes'],
  evaluate(state, ctx) {
    const wanted = ctx.options.requiredHotfixes.map((k) => k.toUpperCase());
    if (wanted.length === 0) return notApplicable('No required updates were given (--require-kb).');
    const have = new Map(state.hotfixes!.hotfixes.map((h) => [h.id.toUpperCase(), h]));
    const missing = wanted.filter((k) => !have.has(k));
    const present = wanted.filter((k) => have.has(k)).map((k) => ({ label: k, value: 'installed', source: have.get(k)!.source }));
    const first = missing[0];
    if (first === undefined) return pass(`All ${wanted.length} required update(s) are installed.`, present);
    return fail(`${missing.length} required update(s) missing: ${missing.join(', ')}.`, [{ label: first, value: 'not installed' }, ...missing.slice(1).map((k) => ({ label: k, value: 'not installed' })), ...present], [
      installUpdates({ kbs: missing, reason: 'These updates were declared mandatory for this audit.' }),
    ]);
  },
});
