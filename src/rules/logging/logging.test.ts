import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyRule } from '../define.js';
import { AUDIT_SUBCATEGORY_GUIDS as G } from '../../host/effective.js';
import { acl, assertCase, auditPolicy, check, hostFrom, services, system, type Case } from '../testing.js';
import { appHost } from '../iis/fixtures.js';
import { auditAccountLogon } from './audit-account-logon.js';
import { auditAccountManagement } from './audit-account-management.js';
import { auditLogonEvents } from './audit-logon-events.js';
import { auditPolicyChange } from './audit-policy-change.js';
import { auditPrivilegeUse } from './audit-privilege-use.js';
import { iisLogFolderAcl } from './iis-log-folder-acl.js';
import { iisLoggingEnabled } from './iis-logging-enabled.js';
import { iisLogsOffSystemDrive } from './iis-logs-off-system-drive.js';

const SF: [boolean, boolean] = [true, true];
const ap = (rows: Parameters<typeof auditPolicy>[0]) => hostFrom({}, { auditPolicy: auditPolicy(rows) });
const iis = (spec: Parameters<typeof appHost>[0] = {}) => hostFrom({ 'applicationHost.config': appHost(spec) });
const notIis = hostFrom({}, { services: services([{ name: 'DNS', start: 'auto', state: 'running' }]) });

const LOGON_OK = { [G.logon]: SF, [G.logoff]: [true, false] as [boolean, boolean], [G.accountLockout]: [false, true] as [boolean, boolean], [G.specialLogon]: [true, false] as [boolean, boolean], [G.otherLogonLogoffEvents]: SF };

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    auditLogonEvents,
    [
      { name: 'all required', state: ap(LOGON_OK), status: 'pass' },
      { name: 'logon success only', state: ap({ ...LOGON_OK, [G.logon]: [true, false] }), status: 'fail', item: /Logon \{0cce9215.*required: Success and Failure/ },
      { name: 'subcategory missing from the export', state: ap({ [G.logon]: SF }), status: 'fail', item: /not in the export/ },
      { name: 'no auditpol export', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    auditAccountLogon,
    [
      { name: 'member server: credential validation only', state: ap({ [G.credentialValidation]: SF }), status: 'pass' },
      { name: 'domain controller also needs Kerberos', state: { ...ap({ [G.credentialValidation]: SF }), system: system(17763, 'Microsoft Windows Server 2019 Standard', 'primary-dc') }, status: 'fail', item: /Kerberos Authentication Service/ },
      { name: 'no failures audited', state: ap({ [G.credentialValidation]: [true, false] }), status: 'fail' },
    ],
  ],
  [
    auditAccountManagement,
    [
      { name: 'all required', state: ap({ [G.userAccountManagement]: SF, [G.securityGroupManagement]: [true, false], [G.otherAccountManagementEvents]: [true, false] }), status: 'pass' },
      { name: 'nothing audited', state: ap({ [G.userAccountManagement]: [false, false], [G.securityGroupManagement]: [false, false], [G.otherAccountManagementEvents]: [false, false] }), status: 'fail' },
    ],
  ],
  [
    auditPolicyChange,
    [
      { name: 'all required', state: ap({ [G.auditPolicyChange]: SF, [G.authenticationPolicyChange]: [true, false], [G.authorizationPolicyChange]: [true, false] }), status: 'pass' },
      { name: 'audit policy change off', state: ap({ [G.auditPolicyChange]: [false, false], [G.authenticationPolicyChange]: [true, false], [G.authorizationPolicyChange]: [true, false] }), status: 'fail' },
    ],
  ],
  [
    auditPrivilegeUse,
    [
      { name: 'success and failure', state: ap({ [G.sensitivePrivilegeUse]: SF }), status: 'pass' },
      { name: 'off', state: ap({ [G.sensitivePrivilegeUse]: [false, false] }), status: 'fail' },
    ],
  ],
  [
    iisLoggingEnabled,
    [
      { name: 'defaults (W3C, daily)', state: iis(), status: 'pass' },
      { name: 'site logging disabled', state: iis({ sites: [{ name: 'Shop', logFile: 'enabled="false"' }] }), status: 'fail', summary: /Shop/ },
      { name: 'IIS log format', state: iis({ siteDefaults: '<logFile logFormat="IIS" />' }), status: 'fail', item: /logFormat IIS \(from siteDefaults\)/ },
      { name: 'central binary logging', state: iis({ log: '<log centralLogFileMode="CentralBinary" />' }), status: 'fail' },
      { name: 'dontLog for a site', state: iis({ locations: { 'Default Web Site': '<system.webServer><httpLogging dontLog="true" /></system.webServer>' } }), status: 'fail' },
      { name: 'not an IIS server', state: notIis, status: 'not-applicable' },
    ],
  ],
  [
    iisLogsOffSystemDrive,
    [
      { name: 'default on C:', state: iis(), status: 'fail' },
      { name: 'defaults moved', state: iis({ siteDefaults: '<logFile logFormat="W3C" directory="D:\\IISLogs" />' }), status: 'pass' },
      { name: 'one site overrides back to C:', state: iis({ siteDefaults: '<logFile directory="D:\\IISLogs" />', sites: [{ name: 'A', logFile: 'directory="C:\\logs"' }, { name: 'B' }] }), status: 'fail', item: /site A log directory C:\\logs/ },
      { name: 'not an IIS server', state: notIis, status: 'not-applicable' },
    ],
  ],
  [
    iisLogFolderAcl,
    [
      { name: 'admins and SYSTEM only', state: { ...iis({ siteDefaults: '<logFile directory="D:\\IISLogs" />' }), acls: acl('D:\\IISLogs', [['BUILTIN\\Administrators', 'F', true], ['NT AUTHORITY\\SYSTEM', 'F', true]]) }, status: 'pass' },
      { name: 'Users can write', state: { ...iis({ siteDefaults: '<logFile directory="D:\\IISLogs" />' }), acls: acl('D:\\IISLogs', [['BUILTIN\\Administrators', 'F', true], ['BUILTIN\\Users', 'M', true]]) }, status: 'fail' },
      { name: '%SystemDrive% is expanded to find the ACL', state: { ...iis(), acls: acl('C:\\inetpub\\logs\\LogFiles', [['Everyone', 'F', true]]) }, status: 'fail', item: /Everyone/ },
      { name: 'ACL not collected', state: iis(), status: 'manual' },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}

test('audit fixes name the subcategory by GUID and keep what is already audited', () => {
  const f = check(auditLogonEvents, ap({ ...LOGON_OK, [G.logon]: [false, true] }));
  assert.deepEqual(f.fix, [
    { op: 'setAuditPolicy', subcategoryGuid: '{0CCE9215-69AE-11D9-BED3-505054503030}', subcategory: 'Logon', success: true, failure: true, reason: 'Logon/Logoff: Logon must be audited (Success and Failure).' },
  ]);
});
