import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyRule } from '../define.js';
import { assertCase, hostFrom, regText, seceditText, services, system, type Case } from '../testing.js';
import { ftpServiceDisabled } from './ftp-service-disabled.js';
import { indexingServiceDisabled } from './indexing-service-disabled.js';
import { internetConnectionSharingDisabled } from './internet-connection-sharing-disabled.js';
import { netmeetingSharingAbsent } from './netmeeting-sharing-absent.js';
import { nntpServiceDisabled } from './nntp-service-disabled.js';
import { printSpoolerDisabled } from './print-spooler-disabled.js';
import { rarelyNeededServicesDisabled } from './rarely-needed-services-disabled.js';
import { remoteRegistryDisabled } from './remote-registry-disabled.js';
import { serverServiceDisabled } from './server-service-disabled.js';
import { smtpServiceDisabled } from './smtp-service-disabled.js';
import { snmpServiceDisabled } from './snmp-service-disabled.js';
import { snmpDefaultCommunityAbsent } from './snmp-default-community-absent.js';
import { telnetServiceDisabled } from './telnet-service-disabled.js';
import { check } from '../testing.js';

/** The generic table every "should not run" service rule shares: absent, disabled, running, unknown. */
function serviceCases(name: string): Case[] {
  return [
    { name: `${name} absent from a complete list`, state: hostFrom({}, { services: services([{ name: 'W3SVC', start: 'auto', state: 'running' }]) }), status: 'pass', item: /not installed/ },
    { name: `${name} disabled and stopped`, state: hostFrom({}, { services: services([{ name, start: 'disabled', state: 'stopped' }]) }), status: 'pass' },
    { name: `${name} automatic and running`, state: hostFrom({}, { services: services([{ name, start: 'auto', state: 'running', dependents: ['Other'] }]) }), status: 'fail', item: /dependents Other/ },
    { name: `${name} manual and stopped`, state: hostFrom({}, { services: services([{ name, start: 'manual', state: 'stopped' }]) }), status: 'fail' },
    { name: `${name} disabled by the security template`, state: hostFrom({ 'secpol.inf': seceditText({ 'Service General Setting': { [`"${name}",4,""`]: '' } }) }, { services: services([{ name, start: 'manual', state: 'stopped' }]) }), status: 'pass' },
    { name: `${name} start type from the registry`, state: hostFrom({ 'svc.reg': regText({ [`HKLM\\SYSTEM\\CurrentControlSet\\Services\\${name}`]: { Start: 2 } }) }), status: 'fail' },
    { name: 'no service list', state: hostFrom({}), status: 'manual' },
  ];
}

const SNMP_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\SNMP\\Parameters\\ValidCommunities';
const iisHost = (list: Parameters<typeof services>[0]) => hostFrom({}, { services: services([{ name: 'W3SVC', start: 'auto', state: 'running' }, ...list]) });

const TABLE: Array<[AnyRule, Case[]]> = [
  [smtpServiceDisabled, serviceCases('SMTPSVC')],
  [indexingServiceDisabled, serviceCases('WSearch')],
  [netmeetingSharingAbsent, serviceCases('mnmsrvc')],
  [internetConnectionSharingDisabled, serviceCases('SharedAccess')],
  [remoteRegistryDisabled, serviceCases('RemoteRegistry')],
  [telnetServiceDisabled, serviceCases('TlntSvr')],
  [ftpServiceDisabled, [...serviceCases('FTPSVC'), { name: 'IIS 6 FTP running', state: hostFrom({}, { services: services([{ name: 'MSFTPSVC', start: 'auto', state: 'running' }]) }), status: 'fail' }]],
  [nntpServiceDisabled, serviceCases('NntpSvc')],
  [snmpServiceDisabled, serviceCases('SNMP')],
  [rarelyNeededServicesDisabled, [...serviceCases('WebClient'), { name: 'several running', state: hostFrom({}, { services: services([{ name: 'Browser', start: 'auto', state: 'running' }, { name: 'Fax', start: 'manual' }]) }), status: 'fail', summary: /Browser, Fax/ }]],
  [
    printSpoolerDisabled,
    [
      { name: 'spooler running on a web server', state: iisHost([{ name: 'Spooler', start: 'auto', state: 'running' }]), status: 'fail' },
      { name: 'spooler disabled on a web server', state: iisHost([{ name: 'Spooler', start: 'disabled', state: 'stopped' }]), status: 'pass' },
      { name: 'a print server (no web/DNS/DC role)', state: hostFrom({}, { services: services([{ name: 'Spooler', start: 'auto', state: 'running' }]), system: system(17763) }), status: 'not-applicable' },
      { name: 'nothing collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    snmpDefaultCommunityAbsent,
    [
      { name: 'public and private configured', state: hostFrom({ 'snmp.reg': { text: regText({ [SNMP_KEY]: { public: 4, private: 8, Xq7monitoring: 4 } }), key: SNMP_KEY } }, { services: services([{ name: 'SNMP', start: 'auto', state: 'running' }]) }), status: 'fail', item: /community "private" READ WRITE/ },
      { name: 'only an unguessable community', state: hostFrom({ 'snmp.reg': { text: regText({ [SNMP_KEY]: { Xq7monitoring: 4 } }), key: SNMP_KEY } }, { services: services([{ name: 'SNMP', start: 'auto', state: 'running' }]) }), status: 'pass' },
      { name: 'SNMP not installed', state: hostFrom({}, { services: services([{ name: 'W3SVC', start: 'auto', state: 'running' }]) }), status: 'not-applicable' },
      { name: 'SNMP running, communities not collected', state: hostFrom({}, { services: services([{ name: 'SNMP', start: 'auto', state: 'running' }]) }), status: 'manual' },
    ],
  ],
  [
    serverServiceDisabled,
    [
      { name: 'LanmanServer running on a web server', state: iisHost([{ name: 'LanmanServer', start: 'auto', state: 'running' }]), status: 'fail', severity: 'info' },
      { name: 'LanmanServer disabled on a web server', state: iisHost([{ name: 'LanmanServer', start: 'disabled', state: 'stopped' }]), status: 'pass' },
      { name: 'domain controller', state: { ...iisHost([{ name: 'LanmanServer', start: 'auto', state: 'running' }]), system: system(17763, 'Microsoft Windows Server 2019 Standard', 'primary-dc') }, status: 'not-applicable', summary: /SYSVOL/ },
      { name: 'file server (no web/DNS role)', state: hostFrom({}, { services: services([{ name: 'LanmanServer', start: 'auto', state: 'running' }]) }), status: 'not-applicable' },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}

test('the disable operation carries the dependents to check and whether to stop', () => {
  const f = check(smtpServiceDisabled, hostFrom({}, { services: services([{ name: 'SMTPSVC', start: 'auto', state: 'running', dependents: ['IISADMIN'] }]) }));
  assert.deepEqual(f.fix?.[0], { op: 'disableService', service: 'SMTPSVC', dependentsToCheck: ['IISADMIN'], stop: true, reason: 'A web server does not relay mail; the SMTP service only adds a listener to attack.' });
});
