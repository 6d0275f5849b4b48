import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, setRegistryValue, type FixOp } from '../../fix/ops.js';
import { registryLookup, registryNumber } from '../../host/effective.js';
import type { Adapter, HostState, Provenance } from '../../host/state.js';
import { defineRule, fail, manual, nonEmpty, pass } from '../define.js';
import { isPublicAddress } from '../lib/net.js';

const NETBT_INTERFACES = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces';
const MEANING: Record<number, string> = { 0: 'from DHCP', 1: 'enabled', 2: 'disabled' };

/** The adapter's NetbiosOptions: from the adapter export, else from its NetBT interface key. */
function netbiosOptions(state: HostState, a: Adapter): { value: number; source: Provenance } | undefined {
  if (a.netbiosOptions) return a.netbiosOptions;
  if (!a.settingId) return undefined;
  const lk = registryLookup(state, `${NETBT_INTERFACES}\\Tcpip_${a.settingId}`, 'NetbiosOptions');
  const v = registryNumber(lk);
  return lk.status === 'set' && v !== undefined ? { value: v, source: lk.source } : undefined;
}

export const netbiosDisabledOnPublicAdapters = defineRule({
  id: 'netbios-disabled-on-public-adapters',
  title: 'NetBIOS over TCP/IP is off on Internet-facing adapters',
  failureTitle: 'NetBIOS over TCP/IP is on for an Internet-facing adapter',
  severity: 'medium',
  area: 'network',
  rationale:
    'NetBIOS over TCP/IP answers name queries on UDP 137 with the computer name, domain, logged-on user and MAC address, and carries legacy SMB on TCP 139. None of that should be offered on an address the Internet can reach. The setting is per adapter: 2 switches it off, 0 leaves the decision to a DHCP server.',
  remediation:
    'On every adapter with a public address, set NetBIOS over TCP/IP to Disabled (adapter properties → IPv4 → Advanced → WINS, or NetBT\\Parameters\\Interfaces\\Tcpip_{GUID}\\NetbiosOptions = 2).',
  references: [
    'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/disable-netbios-tcp-ip-using-dhcp',
    'https://learn.microsoft.com/en-us/windows/win32/cimwin32prov/settcpipnetbios-method-in-class-win32-networkadapterconfiguration',
  ],
  requires: ['adapters'],
  evaluate(state) {
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const unknown: string[] = [];
    const publicOnes = Object.values(state.adapters.adapters).filter((a) => a.ipEnabled?.value !== false && (a.ipAddresses?.value ?? []).some(isPublicAddress));
    if (publicOnes.length === 0) {
      return pass('No adapter carries a public address, so none is Internet-facing from the host\'s own view (review NAT port-forwards separately).', Object.values(state.adapters.adapters).map((a) => ({ label: `adapter ${a.name}`, value: (a.ipAddresses?.value ?? []).join(', ') || 'no address', ...(a.ipAddresses?.source ? { source: a.ipAddresses.source } : { source: a.source }) })));
    }
    for (const a of publicOnes) {
      const nb = netbiosOptions(state, a);
      const addrs = (a.ipAddresses?.value ?? []).filter(isPublicAddress).join(', ');
      if (!nb) {
        unknown.push(a.name);
        items.push({ label: `adapter ${a.name} (${addrs})`, value: 'NetbiosOptions not collected', source: a.source });
        continue;
      }
      items.push({ label: `adapter ${a.name} (${addrs}) NetbiosOptions`, value: `${nb.value} (${MEANING[nb.value] ?? 'unknown'})`, source: nb.source });
      if (nb.value === 2) continue;
      fixes.push(
        a.settingId
          ? setRegistryValue({ key: `${NETBT_INTERFACES}\\Tcpip_${a.settingId}`, name: 'NetbiosOptions', kind: 'REG_DWORD', value: 2, reason: `Adapter ${a.name} faces the Internet; NetBIOS must not answer there.` })
          : manualStep(`Disable NetBIOS over TCP/IP on adapter "${a.name}".`, [`Get-CimInstance Win32_NetworkAdapterConfiguration -Filter "Description='${a.name.replace(/'/g, "''")}'" | Invoke-CimMethod -MethodName SetTcpipNetbios -Arguments @{TcpipNetbiosOptions=2}`]),
      );
    }
    if (nonEmpty(fixes) && nonEmpty(items)) return fail(`NetBIOS over TCP/IP is not disabled on ${fixes.length} Internet-facing adapter(s).`, items, fixes);
    if (unknown.length > 0) return manual(`NetBIOS setting of ${unknown.join(', ')} is not in the bundle.`, ['wmic nicconfig get Description,SettingID,IPAddress,TcpipNetbiosOptions /format:csv'], items);
    return pass('NetBIOS over TCP/IP is disabled on every Internet-facing adapter.', items);
  },
});
