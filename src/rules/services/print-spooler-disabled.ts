import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const printSpoolerDisabled = defineRule({
  id: 'print-spooler-disabled',
  title: 'Print Spooler is disabled',
  failureTitle: 'Print Spooler can run on a server that does not print',
  severity: 'high',
  area: 'services',
  rationale:
    'The Print Spooler accepts remote RPC calls and has been the route of several critical attacks (PrintNightmare and others), including privilege escalation to SYSTEM and coercion of domain-controller authentication. Servers that do not print should not run it.',
  remediation:
    'Stop and disable the Print Spooler service (Spooler).',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  roles: ['iis', 'dnsServer', 'domainController'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['Spooler'], what: 'The Print Spooler', reason: 'The Print Spooler has a long record of remote code execution bugs and is not needed on web, DNS or domain-controller hosts.' });
  },
});
