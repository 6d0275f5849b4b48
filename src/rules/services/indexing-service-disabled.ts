import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const indexingServiceDisabled = defineRule({
  id: 'indexing-service-disabled',
  title: 'Indexing / Windows Search service is disabled',
  failureTitle: 'Indexing or Windows Search service can run',
  severity: 'low',
  area: 'services',
  rationale:
    'The old Indexing Service (and its successor Windows Search) reads and catalogues every file it is pointed at, including files that were never meant to be published, and its query interfaces have had their own vulnerabilities. A dedicated web or DNS server does not need a desktop search index.',
  remediation:
    'Disable the Indexing Service (cisvc) or Windows Search (WSearch) after checking dependents.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['cisvc', 'WSearch'], what: 'The Indexing Service / Windows Search', reason: 'A content indexer on a server catalogues more than the public content and is not needed to serve it.' });
  },
});
