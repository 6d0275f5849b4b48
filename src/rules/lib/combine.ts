// Several values make one control (e.g. RestrictAnonymous and RestrictAnonymousSAM): the control
// fails when any part fails, is manual when any part cannot be judged, and passes otherwise.
import type { EvidenceItem } from '../../core/finding.js';
import type { FixOp } from '../../fix/ops.js';
import { fail, manual, nonEmpty, pass, type Outcome } from '../define.js';

export function combine(what: string, parts: readonly Outcome[]): Outcome {
  const items: EvidenceItem[] = parts.flatMap((p) => p.evidence.items ?? []);
  const failed = parts.filter((p) => p.status === 'fail');
  if (failed.length > 0) {
    const fixes: FixOp[] = failed.flatMap((p) => (p.status === 'fail' ? [...p.fix] : []));
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`${what}: ${failed.map((p) => p.evidence.summary).join(' ')}`, items, fixes);
  }
  const open = parts.filter((p) => p.status === 'manual');
  if (open.length > 0) {
    return manual(`${what}: ${open.map((p) => p.evidence.summary).join(' ')}`, open.flatMap((p) => (p.status === 'manual' ? [...p.commands] : [])), items);
  }
  return pass(`${what}: ${parts.map((p) => p.evidence.summary).join(' ')}`, items);
}
