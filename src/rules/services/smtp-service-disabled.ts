import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const smtpServiceDisabled = defineRule({
  id: 'smtp-service-disabled',
  title: 'SMTP service is not running',
  failureTitle: 'SMTP service is installed and can run',
  severity: 'medium',
  area: 'services',
  rationale:
    'IIS 6 switched the SMTP service on by default. A mail transfer agent on a web server is one more network daemon to patch and a classic way to be abused as an open relay, and nothing in serving web pages needs it.',
  remediation:
    'Disable the SMTP service (SMTPSVC) after checking that no other service depends on it, and remove the SMTP Server feature if it is not needed.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['SMTPSVC'], what: 'The IIS SMTP service', reason: 'A web server does not relay mail; the SMTP service only adds a listener to attack.' });
  },
});
