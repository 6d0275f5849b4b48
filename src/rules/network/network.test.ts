import { test } from 'node:test';
import type { AnyRule } from '../define.js';
import { adapters, assertCase, firewall, hostFrom, listeners, regText, seceditText, system, type Case } from '../testing.js';
import { anonymousEnumerationRestricted } from './anonymous-enumeration-restricted.js';
import { firewallEnabledAllProfiles } from './firewall-enabled-all-profiles.js';
import { netbiosDisabledOnPublicAdapters } from './netbios-disabled-on-public-adapters.js';
import { noRiskyListeners } from './no-risky-listeners.js';
import { nullSessionAccessRestricted } from './null-session-access-restricted.js';
import { smb1ClientDriverDisabled } from './smb1-client-driver-disabled.js';
import { smb1ServerDisabled } from './smb1-server-disabled.js';
import { smbNotBoundToPublicAdapters } from './smb-not-bound-to-public-adapters.js';
import { smbSigningRequired } from './smb-signing-required.js';

const LANMAN = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters';
const LSA = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa';
const lanman = (values: Record<string, number | string | string[]>) => hostFrom({ 'lanman.reg': { text: regText({ [LANMAN]: { srvcomment: 'x', ...values } }), key: LANMAN } });

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    smbSigningRequired,
    [
      { name: 'required in the registry', state: lanman({ RequireSecuritySignature: 1 }), status: 'pass', item: /RequireSecuritySignature 1 \(from registry \(local\)\)/ },
      { name: 'required through secedit only', state: hostFrom({ 'secpol.inf': seceditText({ 'Registry Values': { 'MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\RequireSecuritySignature': '4,1' } }) }), status: 'pass', item: /from policy/ },
      { name: 'explicitly off', state: lanman({ RequireSecuritySignature: 0 }), status: 'fail', summary: /RequireSecuritySignature = 0/ },
      { name: 'absent → default off', state: lanman({}), status: 'fail', summary: /by default/ },
      { name: 'nothing collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    anonymousEnumerationRestricted,
    [
      { name: 'both set', state: hostFrom({ 'lsa.reg': { text: regText({ [LSA]: { RestrictAnonymous: 1, RestrictAnonymousSAM: 1 } }), key: LSA } }), status: 'pass' },
      { name: 'RestrictAnonymous absent (default 0)', state: hostFrom({ 'lsa.reg': { text: regText({ [LSA]: { RestrictAnonymousSAM: 1 } }), key: LSA } }), status: 'fail', item: /RestrictAnonymous.*not set → 0/ },
      { name: 'SAM enumeration allowed', state: hostFrom({ 'lsa.reg': { text: regText({ [LSA]: { RestrictAnonymous: 1, RestrictAnonymousSAM: 0 } }), key: LSA } }), status: 'fail', summary: /RestrictAnonymousSAM = 0/ },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    nullSessionAccessRestricted,
    [
      { name: 'defaults (restricted, lists empty)', state: lanman({}), status: 'pass' },
      { name: 'a null-session share', state: lanman({ NullSessionShares: ['COMCFG', 'DFS$'] }), status: 'fail', summary: /COMCFG, DFS\$/ },
      { name: 'null-session pipes on a member server', state: lanman({ NullSessionPipes: ['netlogon'] }), status: 'fail', summary: /netlogon/ },
      { name: 'restriction switched off', state: lanman({ RestrictNullSessAccess: 0 }), status: 'fail' },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    smb1ServerDisabled,
    [
      { name: 'SMB1=0', state: lanman({ SMB1: 0 }), status: 'pass' },
      { name: 'SMB1=1', state: lanman({ SMB1: 1 }), status: 'fail' },
      { name: 'absent on 2012 R2 (on by default)', state: { ...lanman({}), system: system(9600, 'Microsoft Windows Server 2012 R2 Standard') }, status: 'fail', summary: /by default/ },
      { name: 'absent on 2019 (feature state unknown)', state: { ...lanman({}), system: system(17763) }, status: 'manual' },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    smb1ClientDriverDisabled,
    [
      { name: 'driver disabled', state: hostFrom({ 's.reg': { text: regText({ 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10': { Start: 4 } }), key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10' } }), status: 'pass' },
      { name: 'driver on demand', state: hostFrom({ 's.reg': { text: regText({ 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10': { Start: 3 } }), key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10' } }), status: 'fail', summary: /Start = 3/ },
      { name: 'driver not installed', state: hostFrom({ 's.reg': { text: regText({ 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb20': { Start: 3 } }), key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services' } }), status: 'pass', summary: /not installed/ },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    netbiosDisabledOnPublicAdapters,
    [
      { name: 'public adapter with NetBIOS off', state: hostFrom({}, { adapters: adapters([{ name: 'Internet', ips: ['203.0.114.10'], netbios: 2 }]) }), status: 'pass' },
      { name: 'public adapter with NetBIOS from DHCP', state: hostFrom({}, { adapters: adapters([{ name: 'Internet', ips: ['198.51.99.7', 'fe80::1'], netbios: 0, settingId: '{ABC}' }, { name: 'LAN', ips: ['10.0.0.5'], netbios: 1 }]) }), status: 'fail', item: /Internet.*0 \(from DHCP\)/ },
      { name: 'only private adapters', state: hostFrom({}, { adapters: adapters([{ name: 'LAN', ips: ['10.0.0.5'], netbios: 1 }]) }), status: 'pass', summary: /No adapter carries a public address/ },
      { name: 'NetbiosOptions read from the NetBT key', state: hostFrom({ 'netbt.reg': regText({ 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters\\Interfaces\\Tcpip_{ABC}': { NetbiosOptions: 1 } }) }, { adapters: adapters([{ name: 'Internet', ips: ['203.0.114.10'], settingId: '{ABC}' }]) }), status: 'fail', item: /1 \(enabled\)/ },
      { name: 'setting not collected', state: hostFrom({}, { adapters: adapters([{ name: 'Internet', ips: ['203.0.114.10'] }]) }), status: 'manual' },
      { name: 'no adapter data', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    smbNotBoundToPublicAdapters,
    [
      { name: 'unbound', state: hostFrom({}, { adapters: adapters([{ name: 'Internet', ips: ['203.0.114.10'], smbBound: false }]) }), status: 'pass' },
      { name: 'bound', state: hostFrom({}, { adapters: adapters([{ name: 'Internet', ips: ['2a01:4f8::10'], smbBound: true }]) }), status: 'fail', item: /bound/ },
      { name: 'binding unknown', state: hostFrom({}, { adapters: adapters([{ name: 'Internet', ips: ['203.0.114.10'] }]) }), status: 'manual' },
      { name: 'Server 2003 with SMBDeviceEnabled=0', state: { ...hostFrom({ 'netbt.reg': regText({ 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters': { SMBDeviceEnabled: 0 } }) }), system: system(3790, 'Microsoft(R) Windows(R) Server 2003, Standard Edition') }, status: 'pass' },
      { name: 'Server 2003 default (SMB on)', state: { ...hostFrom({ 'netbt.reg': { text: regText({ 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters': { NodeType: 8 } }), key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters' } }), system: system(3790, 'Microsoft(R) Windows(R) Server 2003, Standard Edition') }, status: 'fail' },
      { name: 'no adapter data', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    firewallEnabledAllProfiles,
    [
      { name: 'all on, inbound blocked', state: hostFrom({}, { firewall: firewall({ domain: [true, 'block'], private: [true, 'block'], public: [true, 'blockinboundalways'] }) }), status: 'pass' },
      { name: 'public off', state: hostFrom({}, { firewall: firewall({ domain: [true, 'block'], private: [true, 'block'], public: [false, 'block'] }) }), status: 'fail', summary: /Public/ },
      { name: 'domain allows inbound', state: hostFrom({}, { firewall: firewall({ domain: [true, 'allow'], private: [true, 'block'], public: [true, 'block'] }) }), status: 'fail', summary: /Domain/ },
      { name: 'a profile missing from the export', state: hostFrom({}, { firewall: firewall({ domain: [true, 'block'] }) }), status: 'manual' },
      { name: 'no firewall export', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    noRiskyListeners,
    [
      { name: 'web and RDP only', state: hostFrom({}, { listeners: listeners([['tcp', '0.0.0.0', 80, 'System'], ['tcp', '0.0.0.0', 443], ['tcp', '0.0.0.0', 3389], ['tcp', '127.0.0.1', 1433, 'sqlservr.exe']]) }), status: 'pass' },
      { name: 'telnet and SQL on all interfaces', state: hostFrom({}, { listeners: listeners([['tcp', '0.0.0.0', 23, 'tlntsvr.exe'], ['tcp', '::', 1433, 'sqlservr.exe'], ['udp', '0.0.0.0', 161]]) }), status: 'fail', item: /Telnet.*TCP 0\.0\.0\.0:23/ },
      { name: 'no netstat', state: hostFrom({}), status: 'manual' },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}
