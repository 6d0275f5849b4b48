import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, type FixOp } from '../../fix/ops.js';
import { osRelease } from '../../host/effective.js';
import { defineRule, fail, manual, nonEmpty, pass } from '../define.js';
import { judgeDword } from '../lib/dword.js';
import { collectMore } from '../lib/settings.js';
import { isPublicAddress } from '../lib/net.js';

export const smbNotBoundToPublicAdapters = defineRule({
  id: 'smb-not-bound-to-public-adapters',
  title: 'File and Printer Sharing is not bound to Internet-facing adapters',
  failureTitle: 'SMB (File and Printer Sharing) is bound to an Internet-facing adapter',
  severity: 'high',
  area: 'network',
  rationale:
    'The "File and Printer Sharing for Microsoft Networks" binding (ms_server) is what makes the SMB server listen on an adapter. Bound to a public address, TCP 445 is offered to the whole Internet, the most scanned and most attacked Windows port. Unbinding it on that adapter keeps SMB for the internal network only.',
  remediation:
    'Unbind File and Printer Sharing (ms_server) from each adapter with a public address: Disable-NetAdapterBinding -Name <adapter> -ComponentID ms_server.',
  references: [
    'https://learn.microsoft.com/en-us/powershell/module/netadapter/disable-netadapterbinding',
    'https://learn.microsoft.com/en-us/windows-server/storage/file-server/smb-secure-traffic',
  ],
  requires: [],
  evaluate(state) {
    // Windows Server 2003 has no per-adapter binding cmdlet; seed 000 turns SMB off there with
    // NetBT\Parameters\SMBDeviceEnabled = 0 (which stops SMB over NetBT on every adapter).
    const os = osRelease(state);
    if (os?.build !== undefined && os.build < 6000) {
      return judgeDword(state, {
        key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters',
        name: 'SMBDeviceEnabled',
        expected: '0 on an Internet-facing Windows Server 2003',
        ok: (v) => v === 0,
        absentDefault: { value: 1, note: 'Windows default: SMB enabled' },
        want: 0,
        what: 'SMB on Windows Server 2003',
        reason: 'SMB must not be offered on the Internet-facing server.',
      });
    }
    if (!state.adapters) return collectMore('the adapter bindings', ['adapters']);
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const unknown: string[] = [];
    const publicOnes = Object.values(state.adapters.adapters).filter((a) => a.ipEnabled?.value !== false && (a.ipAddresses?.value ?? []).some(isPublicAddress));
    if (publicOnes.length === 0) return pass('No adapter carries a public address.', []);
    for (const a of publicOnes) {
      const b = a.bindings?.['ms_server'];
      const addrs = (a.ipAddresses?.value ?? []).filter(isPublicAddress).join(', ');
      if (!b) {
        unknown.push(a.name);
        items.push({ label: `adapter ${a.name} (${addrs}) ms_server`, value: 'binding not collected', source: a.source });
        continue;
      }
      items.push({ label: `adapter ${a.name} (${addrs}) ms_server`, value: b.value ? 'bound' : 'not bound', source: b.source });
      if (b.value) fixes.push(manualStep(`Unbind File and Printer Sharing from adapter "${a.name}".`, [`Disable-NetAdapterBinding -Name '${a.name.replace(/'/g, "''")}' -ComponentID ms_server`]));
    }
    if (nonEmpty(fixes) && nonEmpty(items)) return fail(`SMB is bound to ${fixes.length} Internet-facing adapter(s).`, items, fixes);
    if (unknown.length > 0) return manual(`The bindings of ${unknown.join(', ')} are not in the bundle.`, ['Get-NetAdapterBinding -ComponentID ms_server | ConvertTo-Json'], items);
    return pass('SMB is not bound to any Internet-facing adapter.', items);
  },
});
