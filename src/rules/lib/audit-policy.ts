// Advanced audit policy, judged by subcategory GUID so that a German or Russian auditpol export
// is read exactly like an English one.
import type { EvidenceItem } from '../../core/finding.js';
import { setAuditPolicy, type FixOp } from '../../fix/ops.js';
import { AUDIT_SUBCATEGORY_GUIDS } from '../../host/effective.js';
import type { AuditPolicyState } from '../../host/state.js';
import { fail, nonEmpty, pass, type Outcome, type RuleContext } from '../define.js';

export interface AuditRequirement {
  key: keyof typeof AUDIT_SUBCATEGORY_GUIDS;
  /** English name, for evidence and fix comments. */
  name: string;
  success: boolean;
  failure: boolean;
  /** Only meaningful on a domain controller (Kerberos, computer accounts). */
  dcOnly?: boolean;
}

function flags(s: boolean, f: boolean): string {
  return s && f ? 'Success and Failure' : s ? 'Success' : f ? 'Failure' : 'No Auditing';
}

export function judgeAuditCategory(policy: AuditPolicyState, ctx: RuleContext, category: string, reqs: readonly AuditRequirement[]): Outcome {
  const items: EvidenceItem[] = [];
  const fixes: FixOp[] = [];
  const dc = ctx.roles.domainController.present === true;
  for (const r of reqs) {
    if (r.dcOnly && !dc) continue;
    const guid = AUDIT_SUBCATEGORY_GUIDS[r.key];
    const got = policy.subcategories[guid];
    const want = flags(r.success, r.failure);
    if (!got) {
      items.push({ label: `${r.name} {${guid}}`, value: `not in the export; required: ${want}` });
      fixes.push(setAuditPolicy({ subcategoryGuid: `{${guid.toUpperCase()}}`, subcategory: r.name, success: r.success, failure: r.failure, reason: `${category}: ${r.name} must be audited (${want}).` }));
      continue;
    }
    const ok = (!r.success || got.success) && (!r.failure || got.failure);
    items.push({ label: `${r.name} {${guid}}`, value: `${got.raw || flags(got.success, got.failure)}${ok ? '' : `; required: ${want}`}`, source: got.source });
    if (!ok) {
      fixes.push(setAuditPolicy({ subcategoryGuid: `{${guid.toUpperCase()}}`, subcategory: r.name, success: r.success || got.success, failure: r.failure || got.failure, reason: `${category}: ${r.name} must be audited (${want}).` }));
    }
  }
  if (nonEmpty(items) && nonEmpty(fixes)) {
    return fail(`${category}: ${fixes.length} subcategor${fixes.length === 1 ? 'y is' : 'ies are'} not audited as required.`, items, fixes);
  }
  return pass(`${category}: every required subcategory is audited.`, items);
}
