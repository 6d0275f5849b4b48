import { test } from 'node:test';
import type { AnyRule } from '../define.js';
import type { AntivirusState } from '../../host/state.js';
import { assertCase, hostFrom, s, type Case } from '../testing.js';
import { antivirusRealtimeEnabled } from './antivirus-realtime-enabled.js';
import { antivirusSignaturesCurrent } from './antivirus-signatures-current.js';

const av = (a: Partial<AntivirusState>) => hostFrom({}, { antivirus: { properties: {}, ...a } });

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    antivirusSignaturesCurrent,
    [
      { name: '1 day old', state: av({ antivirusSignatureAge: s(1) }), status: 'pass' },
      { name: '30 days old', state: av({ antivirusSignatureAge: s(30) }), status: 'fail' },
      { name: 'from the update date', state: av({ antivirusSignatureLastUpdated: s('2026-11-01T03:00:00Z') }), status: 'fail', item: /20 days/ },
      { name: 'no age in export', state: av({}), status: 'manual' },
      { name: 'no export', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    antivirusRealtimeEnabled,
    [
      { name: 'on', state: av({ realTimeProtectionEnabled: s(true), antivirusEnabled: s(true) }), status: 'pass' },
      { name: 'real-time off', state: av({ realTimeProtectionEnabled: s(false), antivirusEnabled: s(true) }), status: 'fail' },
      { name: 'engine off', state: av({ realTimeProtectionEnabled: s(true), antivirusEnabled: s(false) }), status: 'fail' },
      { name: 'not in export', state: av({}), status: 'manual' },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}
