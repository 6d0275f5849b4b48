import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyRule } from '../define.js';
import { assertCase, check, hostFrom, regText, type Case } from '../testing.js';
import { credsspEncryptionOracleMitigated } from './credssp-encryption-oracle-mitigated.js';
import { rdpAlwaysPromptPassword } from './rdp-always-prompt-password.js';
import { rdpEncryptionLevelHigh } from './rdp-encryption-level-high.js';
import { rdpNlaRequired } from './rdp-nla-required.js';
import { rdpNonDefaultPort } from './rdp-non-default-port.js';
import { rdpPasswordSavingDisabled } from './rdp-password-saving-disabled.js';
import { rdpSecureRpcRequired } from './rdp-secure-rpc-required.js';
import { rdpSecurityLayerTls } from './rdp-security-layer-tls.js';

const TS = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server';
const LISTENER = `${TS}\\WinStations\\RDP-Tcp`;
const POLICY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services';

/** RDP on (fDenyTSConnections=0), with listener and policy values; both keys exported. */
function rdp(listener: Record<string, number>, policy: Record<string, number> = {}, deny = 0) {
  return hostFrom({
    'ts.reg': { text: regText({ [TS]: { fDenyTSConnections: deny }, [LISTENER]: { PortNumber: 3389, ...listener } }), key: TS },
    'tspol.reg': { text: regText({ [POLICY]: { fDisableCdm: 1, ...policy } }), key: POLICY },
  });
}

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    rdpSecurityLayerTls,
    [
      { name: 'listener 2', state: rdp({ SecurityLayer: 2 }), status: 'pass', summary: /listener key/ },
      { name: 'listener 1, policy 2 → policy wins', state: rdp({ SecurityLayer: 1 }, { SecurityLayer: 2 }), status: 'pass', summary: /Group Policy key/ },
      { name: 'listener 2, policy 0 → policy wins and fails', state: rdp({ SecurityLayer: 2 }, { SecurityLayer: 0 }), status: 'fail', summary: /SecurityLayer = 0, decided by the Group Policy key/ },
      { name: 'negotiate on the listener', state: rdp({ SecurityLayer: 1 }), status: 'fail' },
      { name: 'RDP disabled', state: rdp({ SecurityLayer: 0 }, {}, 1), status: 'not-applicable' },
      { name: 'set in neither key', state: rdp({}), status: 'manual' },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    rdpNlaRequired,
    [
      { name: 'NLA on', state: rdp({ UserAuthentication: 1 }), status: 'pass' },
      { name: 'NLA off', state: rdp({ UserAuthentication: 0 }), status: 'fail', item: /effective UserAuthentication 0 \(decided by the RDP-Tcp listener key\)/ },
      { name: 'policy forces NLA off', state: rdp({ UserAuthentication: 1 }, { UserAuthentication: 0 }), status: 'fail' },
    ],
  ],
  [
    rdpEncryptionLevelHigh,
    [
      { name: 'high', state: rdp({ MinEncryptionLevel: 3 }), status: 'pass' },
      { name: 'FIPS by policy', state: rdp({ MinEncryptionLevel: 2 }, { MinEncryptionLevel: 4 }), status: 'pass' },
      { name: 'client compatible', state: rdp({ MinEncryptionLevel: 2 }), status: 'fail' },
      { name: 'absent → default client compatible', state: rdp({}), status: 'fail', summary: /Windows default/ },
    ],
  ],
  [
    rdpSecureRpcRequired,
    [
      { name: 'policy 1', state: rdp({}, { fEncryptRPCTraffic: 1 }), status: 'pass' },
      { name: 'listener value is ignored (policy-only setting)', state: rdp({ fEncryptRPCTraffic: 1 }), status: 'fail' },
      { name: 'policy absent', state: rdp({}), status: 'fail' },
    ],
  ],
  [
    rdpAlwaysPromptPassword,
    [
      { name: 'listener 1', state: rdp({ fPromptForPassword: 1 }), status: 'pass' },
      { name: 'policy 1', state: rdp({ fPromptForPassword: 0 }, { fPromptForPassword: 1 }), status: 'pass' },
      { name: 'off', state: rdp({ fPromptForPassword: 0 }), status: 'fail' },
    ],
  ],
  [
    rdpPasswordSavingDisabled,
    [
      { name: 'policy 1', state: rdp({}, { DisablePasswordSaving: 1 }), status: 'pass' },
      { name: 'not configured', state: rdp({}), status: 'fail' },
    ],
  ],
  [
    rdpNonDefaultPort,
    [
      { name: 'custom port', state: rdp({ PortNumber: 50123 }), status: 'pass', summary: /50123/ },
      { name: 'default port', state: rdp({}), status: 'fail' },
      { name: 'RDP disabled', state: rdp({}, {}, 1), status: 'not-applicable' },
    ],
  ],
  [
    credsspEncryptionOracleMitigated,
    [
      { name: 'vulnerable', state: hostFrom({ 'credssp.reg': regText({ 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters': { AllowEncryptionOracle: 2 } }) }), status: 'fail' },
      { name: 'force updated clients', state: hostFrom({ 'credssp.reg': regText({ 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters': { AllowEncryptionOracle: 0 } }) }), status: 'pass' },
      { name: 'absent → mitigated default', state: hostFrom({ 'credssp.reg': { text: regText({ 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System': { EnableLUA: 1 } }), key: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' } }), status: 'pass' },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}

test('a policy-decided failure is fixed in the policy key (with the GPO warning)', () => {
  const f = check(rdpSecurityLayerTls, rdp({ SecurityLayer: 2 }, { SecurityLayer: 0 }));
  assert.equal(f.fix?.[0]?.op, 'setRegistryValue');
  assert.ok(f.fix?.[0]?.op === 'setRegistryValue' && f.fix[0].key === POLICY && f.fix[0].value === 2);
  assert.equal(f.fix?.[1]?.op, 'manualStep');
});

test('a listener-decided failure is fixed in the listener key', () => {
  const f = check(rdpNlaRequired, rdp({ UserAuthentication: 0 }));
  assert.ok(f.fix?.[0]?.op === 'setRegistryValue' && f.fix[0].key === LISTENER && f.fix[0].name === 'UserAuthentication' && f.fix[0].value === 1);
});
