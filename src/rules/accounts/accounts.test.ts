import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyRule } from '../define.js';
import { accounts, assertCase, check, hostFrom, seceditText, type Case } from '../testing.js';
import { accountLockoutThreshold } from './account-lockout-threshold.js';
import { administratorAccountRenamed } from './administrator-account-renamed.js';
import { administratorsGroupReviewed } from './administrators-group-reviewed.js';
import { guestAccountDisabled } from './guest-account-disabled.js';
import { iis6AnonymousAccountRenamed } from './iis6-anonymous-account-renamed.js';
import { maximumPasswordAge } from './maximum-password-age.js';
import { passwordComplexityEnabled } from './password-complexity-enabled.js';
import { passwordHistorySize } from './password-history-size.js';
import { passwordMinimumLength } from './password-minimum-length.js';
import { rdpLogonDeniedToGuests } from './rdp-logon-denied-to-guests.js';
import { rdpLogonRightRestricted } from './rdp-logon-right-restricted.js';
import { reversiblePasswordEncryptionDisabled } from './reversible-password-encryption-disabled.js';
import { unusedAccountsDisabled } from './unused-accounts-disabled.js';

const access = (kv: Record<string, string | number>) => hostFrom({ 'secpol.inf': seceditText({ 'System Access': kv }) });
const rights = (kv: Record<string, string>) => hostFrom({ 'secpol.inf': seceditText({ 'System Access': { MinimumPasswordAge: 1 }, 'Privilege Rights': kv }) });
const metabase = (user: string) => `<?xml version="1.0"?>
<configuration xmlns="urn:microsoft-catalog:XML_Metabase_V64_0">
<MBProperty>
<IIsWebService Location="/LM/W3SVC" AnonymousUserName="${user}" AccessFlags="AccessRead | AccessScript" />
</MBProperty>
</configuration>
`;

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    guestAccountDisabled,
    [
      { name: 'secedit 0', state: access({ EnableGuestAccount: 0 }), status: 'pass' },
      { name: 'secedit 1', state: access({ EnableGuestAccount: 1 }), status: 'fail', item: /EnableGuestAccount 1/ },
      { name: 'net user Guest active', state: hostFrom({}, { accounts: accounts([{ name: 'Guest', active: true }]) }), status: 'fail', item: /Account active Yes/ },
      { name: 'net user Guest inactive', state: hostFrom({}, { accounts: accounts([{ name: 'Guest', active: false }]) }), status: 'pass' },
      { name: 'renamed guest found under its new name', state: hostFrom({ 'secpol.inf': seceditText({ 'System Access': { NewGuestName: '"Visitor"' } }) }, { accounts: accounts([{ name: 'Visitor', active: true }]) }), status: 'fail' },
      { name: 'nothing collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    administratorAccountRenamed,
    [
      { name: 'renamed', state: access({ NewAdministratorName: '"opsroot"' }), status: 'pass', summary: /opsroot/ },
      { name: 'default name', state: access({ NewAdministratorName: '"Administrator"' }), status: 'fail' },
      { name: 'net user list has Administrator', state: hostFrom({}, { accounts: accounts([{ name: 'Administrator' }, { name: 'Guest' }]) }), status: 'fail' },
      { name: 'net user list without Administrator', state: hostFrom({}, { accounts: accounts([{ name: 'opsroot' }, { name: 'Guest' }]) }), status: 'pass' },
      { name: 'nothing collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    iis6AnonymousAccountRenamed,
    [
      { name: 'default IUSR_<computer> in the metabase and accounts', state: hostFrom({ 'MetaBase.xml': metabase('IUSR_WEB01') }, { accounts: accounts([{ name: 'IUSR_WEB01' }]) }, { host: 'WEB01' }), status: 'fail', item: /IUSR_WEB01/ },
      { name: 'renamed', state: hostFrom({ 'MetaBase.xml': metabase('webanon') }, { accounts: accounts([{ name: 'webanon' }]) }, { host: 'WEB01' }), status: 'pass' },
      { name: 'not IIS 6', state: hostFrom({}, { accounts: accounts([{ name: 'Administrator' }]) }), status: 'not-applicable' },
    ],
  ],
  [
    passwordMinimumLength,
    [
      { name: '14', state: access({ MinimumPasswordLength: 14 }), status: 'pass' },
      { name: '12 → low', state: access({ MinimumPasswordLength: 12 }), status: 'fail', severity: 'low' },
      { name: '8 → high', state: access({ MinimumPasswordLength: 8 }), status: 'fail', severity: 'high' },
      { name: 'not in the export', state: access({ PasswordComplexity: 1 }), status: 'manual' },
      { name: 'no secedit', state: hostFrom({}), status: 'manual', item: /missing securityPolicy/ },
    ],
  ],
  [passwordComplexityEnabled, [{ name: 'on', state: access({ PasswordComplexity: 1 }), status: 'pass' }, { name: 'off', state: access({ PasswordComplexity: 0 }), status: 'fail' }, { name: 'no secedit', state: hostFrom({}), status: 'manual' }]],
  [reversiblePasswordEncryptionDisabled, [{ name: 'off', state: access({ ClearTextPassword: 0 }), status: 'pass' }, { name: 'on', state: access({ ClearTextPassword: 1 }), status: 'fail' }, { name: 'absent = default off', state: access({ MinimumPasswordAge: 1 }), status: 'pass' }]],
  [
    accountLockoutThreshold,
    [
      { name: '5', state: access({ LockoutBadCount: 5 }), status: 'pass' },
      { name: '0 = never', state: access({ LockoutBadCount: 0 }), status: 'fail' },
      { name: '10', state: access({ LockoutBadCount: 10 }), status: 'fail' },
      { name: 'absent = default 0', state: access({ MinimumPasswordAge: 1 }), status: 'fail' },
    ],
  ],
  [maximumPasswordAge, [{ name: '60', state: access({ MaximumPasswordAge: 60 }), status: 'pass' }, { name: '-1 = never expires', state: access({ MaximumPasswordAge: -1 }), status: 'fail' }, { name: '400', state: access({ MaximumPasswordAge: 400 }), status: 'fail' }]],
  [passwordHistorySize, [{ name: '24', state: access({ PasswordHistorySize: 24 }), status: 'pass' }, { name: '5', state: access({ PasswordHistorySize: 5 }), status: 'fail' }]],
  [
    unusedAccountsDisabled,
    [
      { name: 'recent logons', state: hostFrom({}, { accounts: accounts([{ name: 'ops', active: true, lastLogon: '2026-11-01T09:00:00' }, { name: 'Guest', active: false, lastLogon: null }]) }), status: 'pass' },
      { name: 'idle account', state: hostFrom({}, { accounts: accounts([{ name: 'vendor', active: true, lastLogon: '2025-01-10T09:00:00' }]) }), status: 'fail', item: /vendor last logon 2025-01-10/ },
      { name: 'never logged on, old password', state: hostFrom({}, { accounts: accounts([{ name: 'test1', active: true, lastLogon: null, passwordLastSet: '2024-03-01T00:00:00' }]) }), status: 'fail', item: /never logged on/ },
      { name: 'limit is configurable', state: hostFrom({}, { accounts: accounts([{ name: 'vendor', active: true, lastLogon: '2026-06-01T09:00:00' }]) }), status: 'pass', options: { maxIdleAccountDays: 400 } },
      { name: 'only the user list', state: hostFrom({}, { accounts: accounts([{ name: 'ops' }]) }), status: 'manual' },
    ],
  ],
  [
    administratorsGroupReviewed,
    [
      { name: 'built-in admin and Domain Admins', state: hostFrom({}, { accounts: accounts([], { Administrators: ['Administrator', 'CORP\\Domain Admins'] }) }), status: 'pass' },
      { name: 'extra members', state: hostFrom({}, { accounts: accounts([], { Administrators: ['Administrator', 'user1', 'vagrant', 'CORP\\ansible'] }) }), status: 'fail', summary: /user1, vagrant, CORP\\ansible/ },
      { name: 'renamed admin is expected', state: hostFrom({ 'secpol.inf': seceditText({ 'System Access': { NewAdministratorName: '"opsroot"' } }) }, { accounts: accounts([], { Administrators: ['opsroot'] }) }), status: 'pass' },
      { name: 'group members not collected', state: hostFrom({}, { accounts: accounts([{ name: 'x' }]) }), status: 'manual' },
    ],
  ],
  [
    rdpLogonRightRestricted,
    [
      { name: 'Administrators and RDU', state: rights({ SeRemoteInteractiveLogonRight: '*S-1-5-32-544,*S-1-5-32-555' }), status: 'pass' },
      { name: 'Everyone', state: rights({ SeRemoteInteractiveLogonRight: '*S-1-5-32-544,*S-1-1-0' }), status: 'fail', summary: /Everyone/ },
      { name: 'Users by name', state: rights({ SeRemoteInteractiveLogonRight: 'Users' }), status: 'fail' },
      { name: 'right not granted', state: rights({}), status: 'pass', summary: /nobody/ },
      { name: 'no secedit', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    rdpLogonDeniedToGuests,
    [
      { name: 'Guests denied', state: rights({ SeDenyRemoteInteractiveLogonRight: '*S-1-5-32-546,*S-1-5-113' }), status: 'pass' },
      { name: 'not denied', state: rights({ SeDenyRemoteInteractiveLogonRight: '*S-1-5-113' }), status: 'fail' },
      { name: 'right empty', state: rights({}), status: 'fail' },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}

test('the RDP right fix keeps the named groups and drops the broad ones', () => {
  const f = check(rdpLogonRightRestricted, rights({ SeRemoteInteractiveLogonRight: '*S-1-5-32-544,*S-1-1-0,*S-1-5-32-555' }));
  assert.deepEqual(f.fix?.[0], { op: 'setPrivilegeRight', right: 'SeRemoteInteractiveLogonRight', mode: 'replace', principals: ['*S-1-5-32-544', '*S-1-5-32-555'], reason: 'Only named groups may log on through Remote Desktop.' });
});
