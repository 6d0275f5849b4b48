// Several values make one control (e.g. RestrictAnonymous and RestrictAnonymousSAM): the control
// fails when any part fails, is manual when any part cannot be judged, and passes otherwise.
import type { EvidenceItem } from '../../core/finding.js';
import type { FixOp } from '../../fix/ops.js';
import { fail, manual, nonEmpty, pass, type Outcome } from '../define.js';

// One loop rather than flatMap/filter/map chains: V8's flatMap has no fast path, and in the audit
// profile this small helper cost as much as the rules that call it.
export function combine(what: string, parts: readonly Outcome[]): Outcome {
  const items: EvidenceItem[] = [];
  const fixes: FixOp[] = [];
  const commands: string[] = [];
  const failed: string[] = [];
  const open: string[] = [];
  for (const p of parts) {
    if (p.evidence.items) for (const i of p.evidence.items) items.push(i);
    if (p.status === 'fail') {
      failed.push(p.evidence.summary);
      for (const f of p.fix) fixes.push(f);
    } else if (p.status === 'manual') {
      open.push(p.evidence.summary);
      for (const c of p.commands) commands.push(c);
    }
  }
  if (failed.length > 0 && nonEmpty(items) && nonEmpty(fixes)) return fail(`${what}: ${failed.join(' ')}`, items, fixes);
  if (open.length > 0) return manual(`${what}: ${open.join(' ')}`, commands, items);
  return pass(`${what}: ${parts.map((p) => p.evidence.summary).join(' ')}`, items);
}
