import type { EvidenceItem } from '../../core/finding.js';
import { deleteRegistryValue, type FixOp } from '../../fix/ops.js';
import { effectiveService, keyId, registryLookup } from '../../host/effective.js';
import { defineRule, fail, manual, nonEmpty, notApplicable, pass } from '../define.js';

const COMMUNITIES = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\SNMP\\Parameters\\ValidCommunities';
/** Community names every SNMP scanner tries first. */
const WELL_KNOWN = new Set(['public', 'private', 'community', 'snmp', 'admin', 'default', 'manager', 'monitor', 'secret', 'read', 'write', 'test', 'cisco']);
const RIGHTS: Record<number, string> = { 1: 'NONE', 2: 'NOTIFY', 4: 'READ ONLY', 8: 'READ WRITE', 16: 'READ CREATE' };

export const snmpDefaultCommunityAbsent = defineRule({
  id: 'snmp-default-community-absent',
  title: 'SNMP accepts no well-known community name',
  failureTitle: 'SNMP accepts a well-known community name',
  severity: 'high',
  area: 'services',
  rationale:
    'When the SNMP service has to stay, its community strings are the only thing standing between the network and the agent, and they travel in clear text. Seed 003 singles out the default communities: "public" and "private" are the first guesses of every scanner, and a READ WRITE community lets anyone who guesses it change settings through the agent.',
  remediation:
    'Remove the well-known communities from SNMP\\Parameters\\ValidCommunities, set one unguessable READ ONLY community, and restrict PermittedManagers to the monitoring hosts (or remove SNMP altogether).',
  references: [
    'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/configure-snmp-service',
    'https://learn.microsoft.com/en-us/windows/win32/snmp/snmp-service',
  ],
  requires: [],
  evaluate(state) {
    const svc = effectiveService(state, 'SNMP');
    if (svc.exists === false || svc.startType?.value === 'disabled') {
      return notApplicable('The SNMP service is not installed or is disabled.', svc.startType ? [{ label: 'service SNMP', value: svc.startType.value, source: svc.startType.source }] : []);
    }
    const probe = registryLookup(state, COMMUNITIES, '__any__');
    const key = state.registry?.keys[keyId(COMMUNITIES)];
    if (!key) {
      if (probe.status === 'absent') return pass('No community is configured (the ValidCommunities key does not exist).', [{ label: COMMUNITIES, value: 'absent', source: probe.coveredBy }]);
      return manual('The SNMP community list was not collected.', [`reg query "${COMMUNITIES}"`], []);
    }
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    for (const entries of Object.values(key.values)) {
      const e = entries[entries.length - 1];
      if (!e || e.data.type === 'deleted') continue;
      const rights = e.data.type === 'REG_DWORD' ? (RIGHTS[e.data.value] ?? String(e.data.value)) : 'unknown';
      if (!WELL_KNOWN.has(e.name.toLowerCase())) continue;
      items.push({ label: `community "${e.name}"`, value: rights, source: e.source });
      fixes.push(deleteRegistryValue({ key: COMMUNITIES, name: e.name, reason: `"${e.name}" is one of the first community names any scanner tries.` }));
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`SNMP accepts well-known communities: ${items.map((i) => i.label.slice(10)).join(', ')}.`, items, fixes);
    return pass(`None of the ${Object.keys(key.values).length} configured communities is a well-known name.`, []);
  },
});
