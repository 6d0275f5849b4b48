import type { EvidenceItem } from '../../core/finding.js';
import { setFirewallProfile, type FirewallProfile, type FixOp } from '../../fix/ops.js';
import type { FirewallProfileName } from '../../host/state.js';
import { defineRule, fail, manual, nonEmpty, pass } from '../define.js';

const PROFILES: [FirewallProfileName, FirewallProfile][] = [
  ['domain', 'Domain'],
  ['private', 'Private'],
  ['public', 'Public'],
];

export const firewallEnabledAllProfiles = defineRule({
  id: 'firewall-enabled-all-profiles',
  title: 'Windows Firewall is on and blocks inbound by default in every profile',
  failureTitle: 'Windows Firewall is off or allows inbound by default in a profile',
  severity: 'high',
  area: 'network',
  rationale:
    'The host firewall is today\'s form of the packet filters seed 002 recommends: it decides which clients may reach which ports, including the remote-administration ports. It only protects when it is on and refuses unsolicited inbound traffic by default in every profile, because the profile in force changes with the network the server sees.',
  remediation:
    'Turn the firewall on with default inbound action Block in the Domain, Private and Public profiles (Set-NetFirewallProfile -All -Enabled True -DefaultInboundAction Block), then allow only the ports the server\'s roles need.',
  references: [
    'https://learn.microsoft.com/en-us/windows/security/operating-system-security/network-security/windows-firewall/configure',
    'https://learn.microsoft.com/en-us/powershell/module/netsecurity/set-netfirewallprofile',
    'CIS Microsoft Windows Server 2022 Benchmark 9.1.1, 9.2.1, 9.3.1 (Firewall state On) and 9.1.2, 9.2.2, 9.3.2 (Inbound connections Block)',
  ],
  requires: ['firewall'],
  evaluate(state) {
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    const missing: string[] = [];
    for (const [key, label] of PROFILES) {
      const p = state.firewall.profiles[key];
      if (!p || !p.enabled || !p.inbound) {
        missing.push(label);
        items.push({ label: `${label} profile`, value: 'not in the export', ...(p ? { source: p.source } : {}) });
        continue;
      }
      items.push({ label: `${label} profile state`, value: p.enabled.value ? 'on' : 'off', source: p.enabled.source });
      items.push({ label: `${label} profile inbound default`, value: p.inbound.value, source: p.inbound.source });
      const inboundBlocks = p.inbound.value === 'block' || p.inbound.value === 'blockinboundalways';
      if (!p.enabled.value || !inboundBlocks) {
        fixes.push(setFirewallProfile({ profile: label, enabled: true, defaultInboundAction: 'block', reason: `The ${label} profile must filter unsolicited inbound traffic.` }));
      }
    }
    if (nonEmpty(fixes) && nonEmpty(items)) return fail(`The firewall does not block inbound by default in: ${fixes.map((f) => (f.op === 'setFirewallProfile' ? f.profile : '')).join(', ')}.`, items, fixes);
    if (missing.length > 0) return manual(`The firewall state of the ${missing.join(', ')} profile(s) is not in the bundle.`, ['netsh advfirewall show allprofiles'], items);
    return pass('The firewall is on and blocks unsolicited inbound traffic in every profile.', items);
  },
});
