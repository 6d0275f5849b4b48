import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const ftpServiceDisabled = defineRule({
  id: 'ftp-service-disabled',
  title: 'FTP service is not installed or disabled',
  failureTitle: 'FTP service can run on this server',
  severity: 'high',
  area: 'services',
  rationale:
    'An FTP service on a web server is a second door into the content folders, usually with clear-text passwords and sometimes anonymous access. Content deployment has safer routes (SFTP from a build host, Web Deploy over HTTPS).',
  remediation:
    'Disable the FTP service (MSFTPSVC on IIS 6, FTPSVC on IIS 7 and later) and remove the FTP Server role service.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['MSFTPSVC', 'FTPSVC'], what: 'The FTP service', reason: 'Plain FTP sends passwords in clear text and gives another way to write to content.' });
  },
});
