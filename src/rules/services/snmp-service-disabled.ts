import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const snmpServiceDisabled = defineRule({
  id: 'snmp-service-disabled',
  title: 'SNMP service is not installed or disabled',
  failureTitle: 'SNMP service can run',
  severity: 'medium',
  area: 'services',
  rationale:
    'The Windows SNMP agent speaks only SNMPv1/v2c: the community string is a clear-text password, the defaults (public/private) are widely known, and the agent discloses system details. Monitoring has safer channels (WinRM, WMI over a secured path).',
  remediation:
    'Disable the SNMP service; if monitoring needs it, set a non-default read-only community and restrict permitted managers.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['SNMP'], what: 'The SNMP service', reason: 'SNMPv1/v2c authenticates with a community string sent in clear text, often a default.' });
  },
});
