import { test } from 'node:test';
import type { AnyRule } from '../define.js';
import type { HostState } from '../../host/state.js';
import { assertCase, hostFrom, system, type Case } from '../testing.js';
import { osSupported } from './os-supported.js';
import { requiredUpdatesInstalled } from './required-updates-installed.js';
import { updatesRecent } from './updates-recent.js';

const hotfixes = (list: Array<[string, string | null]>, collectedAt?: string): HostState => ({
  ...hostFrom({}, {}, collectedAt ? { collectedAt } : {}),
  hotfixes: { hotfixes: list.map(([id, date], i) => ({ id, installedOn: date, source: { artifact: 'qfe.csv', line: i + 2 } })) },
});

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    osSupported,
    [
      { name: '2019 is supported in 2026', state: hostFrom({}, { system: system(17763) }), status: 'pass' },
      { name: '2012 R2 ended 2023-10-10', state: hostFrom({}, { system: system(9600, 'Microsoft Windows Server 2012 R2 Standard') }), status: 'fail', summary: /2023-10-10/ },
      { name: '2003 ended 2015', state: hostFrom({}, { system: system(3790, 'Microsoft(R) Windows(R) Server 2003, Standard Edition') }), status: 'fail' },
      { name: 'unknown release', state: hostFrom({}, { system: { osName: { value: 'Something Else', source: { artifact: 'systeminfo.txt', line: 3 } } } }), status: 'manual' },
      { name: 'no systeminfo', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    updatesRecent,
    [
      { name: 'patched last month', state: hotfixes([['KB5001', '2026-01-10'], ['KB5002', '2026-10-20']]), status: 'pass', item: /KB5002 installed 2026-10-20/ },
      { name: 'stale', state: hotfixes([['KB5001', '2026-01-10'], ['KB5002', '2026-06-20']]), status: 'fail', summary: /154 days/ },
      { name: 'limit configurable', state: hotfixes([['KB5002', '2026-06-20']]), status: 'pass', options: { maxHotfixAgeDays: 200 } },
      { name: 'measured at collection time', state: hotfixes([['KB5002', '2026-06-20']], '2026-07-01T00:00:00Z'), status: 'pass', item: /collected at/ },
      { name: 'no dates', state: hotfixes([['KB5002', null]]), status: 'manual' },
      { name: 'empty list', state: hotfixes([]), status: 'fail' },
      { name: 'no hotfix export', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    requiredUpdatesInstalled,
    [
      { name: 'no list given', state: hotfixes([['KB5001', '2026-01-10']]), status: 'not-applicable' },
      { name: 'all present', state: hotfixes([['KB5001', '2026-01-10']]), status: 'pass', options: { requiredHotfixes: ['KB5001'] } },
      { name: 'one missing', state: hotfixes([['KB5001', '2026-01-10']]), status: 'fail', summary: /KB5009/, options: { requiredHotfixes: ['KB5001', 'KB5009'] } },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}
